"""Generalisation of quasi-identifier values: ages to bands, dates to month or year, ZIP to ZIP3.

The functions work on the *distinct* values of a column (an Index or a Series of text) so callers
can apply them to the few distinct values rather than to every row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

TOP_CODE_AGE = 90  # HIPAA Safe Harbor: ages over 89 are reported as one "90 or older" group
_YEAR_FIRST = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.]\d{1,2}")
_MONTH_FIRST = re.compile(r"^\s*(\d{1,2})[-/.]\d{1,2}[-/.](\d{4})")


def age_band(values: pd.Series, width: int = 10) -> pd.Series:
    ages = pd.to_numeric(values, errors="coerce")
    low = (ages // width) * width
    labels = low.astype("Int64").astype(str) + "-" + (low + width - 1).astype("Int64").astype(str)
    labels = labels.where(ages < TOP_CODE_AGE, f"{TOP_CODE_AGE}+")
    return labels.where(ages.notna(), values).astype(object)


def date_part(values: pd.Series, part: str = "year") -> pd.Series:
    return values.map(lambda value: _date_part(value, part)).astype(object)


def _date_part(value: object, part: str) -> object:
    if not isinstance(value, str):
        return value
    if match := _YEAR_FIRST.match(value):
        year, month = match.group(1), match.group(2)
    elif match := _MONTH_FIRST.match(value):
        month, year = match.group(1), match.group(2)
    else:
        return value
    return year if part == "year" else f"{year}-{int(month):02d}"


def zip3(values: pd.Series) -> pd.Series:
    digits = values.astype(str).str.extract(r"^\s*(\d{3})\d{2}", expand=False)
    return (digits + "**").where(digits.notna(), values).astype(object)


GENERALISERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "year": lambda values: date_part(values, "year"),
    "month": lambda values: date_part(values, "month"),
    "band5": lambda values: age_band(values, 5),
    "band10": lambda values: age_band(values, 10),
    "age5": lambda values: age_band(values, 5),  # the names `suppress --by Age:age5` reads best
    "age10": lambda values: age_band(values, 10),
    "zip3": zip3,
}


def parse_column_spec(spec: str) -> tuple[str, str | None]:
    """`Date:year` → ("Date", "year"); `Sex` → ("Sex", None). Unknown modifiers are an error."""
    name, _, how = spec.partition(":")
    if how and how not in GENERALISERS:
        raise ValueError(f"unknown generalisation {how!r} for {name!r}; use {sorted(GENERALISERS)}")
    return name.strip(), (how or None)


def apply_to_column(column: pd.Series, how: str | None) -> pd.Series:
    """Generalise a whole column by generalising only its distinct values."""
    if how is None:
        return column
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    mapped = GENERALISERS[how](pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    result = pd.Series(mapped.take(codes), index=column.index, dtype=object)
    return result.where(codes >= 0, None)
