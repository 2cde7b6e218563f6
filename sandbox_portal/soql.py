"""The slice of SoQL the sandbox understands, compiled to SQLite over JSON row documents.

Supported: `$select` of plain fields, `$where` with comparisons, AND/OR/NOT, IS [NOT] NULL,
LIKE, IN and parentheses, `$order` (including `:id`), `$limit`, `$offset`, `$q`, and
`field=value` filters. Values are always bound as parameters and field names are only ever
emitted after being checked against the view's columns, so no request text reaches SQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import SodaError, bad_request

DEFAULT_LIMIT = 1000
SYSTEM_FIELDS = {":id": "sid", ":created_at": "created_at", ":updated_at": "updated_at"}
KEYWORDS = {"AND", "OR", "NOT", "IS", "NULL", "LIKE", "IN"}
IGNORED_PARAMS = {"$$app_token", "$$exclude_system_fields", "$$read_from_nbe", "$$version"}

TOKEN = re.compile(
    r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
    |(?P<number>-?\d+(?:\.\d+)?)
    |(?P<op><=|>=|!=|<>|=|<|>)
    |(?P<punct>[(),])
    |(?P<name>:?[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)
    )""",
    re.VERBOSE,
)


@dataclass
class Query:
    where: str = ""
    params: list[Any] = field(default_factory=list)
    order: str = "sid"
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    select: list[str] | None = None
    include_system: bool = False
    count_as: str | None = None  # `$select=count(*) [AS name]`: one row with the count


def no_such_column(name: str) -> SodaError:
    return bad_request(f"No such column: {name}", code="query.soql.no-such-column")


def field_sql(name: str, columns: Mapping[str, str]) -> str:
    """The SQL expression for a field; numbers compare and sort as numbers."""
    if name in SYSTEM_FIELDS:
        return SYSTEM_FIELDS[name]
    if name not in columns:
        raise no_such_column(name)
    # Field names were checked against ^[a-z_][a-z0-9_]*$ when the view was created.
    expr = f"json_extract(data, '$.\"{name}\"')"
    return f"CAST({expr} AS REAL)" if columns[name] == "number" else expr


def literal(value: str, field_type: str | None) -> Any:
    """Bind a literal the way the compared column stores it."""
    if field_type in ("number", "sid"):
        try:
            return float(value)
        except ValueError:
            raise bad_request(
                f"Cannot compare a number with '{value}'", code="query.soql.type-mismatch"
            ) from None
    if field_type == "checkbox" and value.lower() in ("true", "false"):
        return 1 if value.lower() == "true" else 0
    return value


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise bad_request(
                f"Could not parse SoQL near: {text[position : position + 20]!r}",
                code="query.compiler.malformed",
            )
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def compile_where(text: str, columns: Mapping[str, str]) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    last_type: str | None = None
    for kind, value in _tokens(text):
        if kind == "string":
            parts.append("?")
            params.append(literal(value[1:-1].replace("''", "'"), last_type))
        elif kind == "number":
            parts.append("?")
            params.append(literal(value, last_type or "number"))
        elif kind in ("op", "punct"):
            parts.append("!=" if value == "<>" else value)
        elif value.upper() in KEYWORDS:
            parts.append(value.upper())
        elif value.lower() in ("true", "false"):
            parts.append("?")
            params.append(1 if value.lower() == "true" else 0)
        else:
            name = value.strip("`")
            parts.append(field_sql(name, columns))
            last_type = "sid" if name == ":id" else columns.get(name)
    return " ".join(parts), params


def compile_order(text: str, columns: Mapping[str, str]) -> str:
    terms = []
    for term in text.split(","):
        words = term.split()
        if not words or len(words) > 2:
            raise bad_request(f"Could not parse $order: {text!r}", code="query.compiler.malformed")
        direction = words[1].upper() if len(words) == 2 else "ASC"
        if direction not in ("ASC", "DESC"):
            raise bad_request(f"Could not parse $order: {text!r}", code="query.compiler.malformed")
        terms.append(f"{field_sql(words[0], columns)} {direction}")
    # The row id breaks ties so that paging with $offset is stable.
    return ", ".join([*terms, "sid ASC"])


COUNT = re.compile(r"^\s*count\(\s*\*\s*\)(?:\s+as\s+(?P<alias>[a-z_][a-z0-9_]*))?\s*$", re.I)


def compile_select(text: str, columns: Mapping[str, str]) -> list[str] | None:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if names == ["*"]:
        return None
    for name in names:
        if name not in columns and name not in SYSTEM_FIELDS:
            raise no_such_column(name)
    return names


def _non_negative(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise bad_request(f"{name} must be a non-negative integer, got {value!r}")
    return number


def build_query(params: Mapping[str, str], columns: Mapping[str, str]) -> Query:
    """Turn the query string of a /resource read into a Query."""
    query = Query()
    conditions: list[str] = []
    for name, value in params.items():
        if name == "$where":
            sql, bound = compile_where(value, columns)
            conditions.append(f"({sql})")
            query.params.extend(bound)
        elif name == "$q":
            conditions.append("data LIKE ?")
            query.params.append(f"%{value}%")
        elif name == "$order":
            query.order = compile_order(value, columns)
        elif name == "$select" and (counted := COUNT.match(value)):
            query.count_as = counted.group("alias") or "count"
        elif name == "$select":
            query.select = compile_select(value, columns)
        elif name == "$limit":
            query.limit = _non_negative(name, value)
        elif name == "$offset":
            query.offset = _non_negative(name, value)
        elif name == "$$exclude_system_fields":
            query.include_system = value.lower() == "false"
        elif name in IGNORED_PARAMS:
            continue
        elif name.startswith("$"):
            raise bad_request(f"The sandbox portal does not support {name}")
        else:
            conditions.append(f"{field_sql(name, columns)} = ?")
            query.params.append(literal(value, columns.get(name)))
    query.where = " AND ".join(conditions)
    return query
