"""Concrete recommendations from a screen: what to drop, generalise, aggregate or suppress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .classify import FREE_TEXT, SENSITIVE, TOP_AGE, UNIQUE_IDENTIFIER, name_words
from .risk import DROP, CountTable

if TYPE_CHECKING:
    from .screen import ScreenReport

_HOW = {
    "band10": "{name}: ages to 5- or 10-year bands, with ages over 89 as one 90+ group",
    "year": "{name}: full dates to month or year",
    "zip3": "{name}: ZIP codes to town (or to the first three digits)",
    DROP: "{name}: town-level location to county",
}


@dataclass
class Recommendation:
    action: str  # drop_or_hash | generalise | aggregate | suppress | review
    columns: list[str]
    detail: str


def recommendations(report: ScreenReport, table: CountTable) -> list[Recommendation]:
    if report.table is not None:
        found = [_drop_or_hash(report), _cell_rules(report), _review_free_text(report)]
        return [item for item in found if item is not None]
    found = [_drop_or_hash(report), _generalise(report, table), _aggregate(report)]
    found += [_suppress(report), _review_free_text(report), _sensitive(report)]
    return [item for item in found if item is not None]


def _columns(report: ScreenReport, classification: str) -> list[str]:
    return [column.name for column in report.columns if column.classification == classification]


def _make(action: str, columns: list[str], detail: str) -> Recommendation:

    return Recommendation(action=action, columns=columns, detail=detail)


def _drop_or_hash(report: ScreenReport) -> Recommendation | None:
    names = _columns(report, UNIQUE_IDENTIFIER)
    if not names:
        return None
    detail = (
        "Drop direct identifiers (names, SSNs, contact details, street addresses). If a record "
        "key is needed to link updates, replace it with a salted hash or a new sequence number."
    )
    return _make("drop_or_hash", names, detail)


def _generalise(report: ScreenReport, table: CountTable) -> Recommendation | None:
    risk = report.risk
    if risk is None or risk.generalised is None or risk.records_at_risk == 0:
        return None
    plan = risk.generalised.plan
    steps = [_HOW[how].format(name=name) for name, how in plan.items()]
    old = _ages_over_89(table, plan)
    if old:
        steps.append(f"{old} record(s) have an age over 89")
    after = (
        f"With all of these, k would be {risk.generalised.k} and "
        f"{risk.generalised.records_at_risk:.1%} of records would be in classes smaller than "
        f"{report.threshold}."
    )
    return _make("generalise", list(plan), "Generalise: " + "; ".join(steps) + ". " + after)


def _ages_over_89(table: CountTable, plan: dict[str, str]) -> int:
    """Records with an age over 89, counted over the whole source from the class counts."""
    ages = [name for name, how in plan.items() if how == "band10"]
    if not ages or not len(table):
        return 0
    position = table.columns.index(ages[0])
    numeric = pd.to_numeric(pd.Series(table.values[position], dtype=object), errors="coerce")
    old = (numeric > TOP_AGE).to_numpy()  # per distinct age value
    return int(table.counts[old[table.codes[position]]].sum())


def _aggregate(report: ScreenReport) -> Recommendation | None:
    risk = report.risk
    if risk is None or risk.records_at_risk == 0:
        return None
    if risk.generalised is not None and risk.generalised.records_at_risk == 0:
        return None
    levels = aggregation_levels(report)
    by = ",".join(levels) or "<columns>"
    detail = (
        f"Record-level data stays identifying. Publish counts by "
        f"{_listing(levels) or 'a few coarse columns'} instead, with small-cell suppression: "
        f"manage.py suppress <file> --by {by} --threshold {report.threshold} --out <file>."
    )
    return _make("aggregate", levels, detail)


def _listing(names: list[str]) -> str:
    if not names:
        return ""  # no county, town, year or sex column: the caller words it generally
    return names[0] if len(names) < 2 else ", ".join(names[:-1]) + " and " + names[-1]


def aggregation_levels(report: ScreenReport) -> list[str]:
    """Coarse levels from the quasi-identifiers: a county (or town), a year, sex, an age band."""
    plan = report.risk.generalised.plan if report.risk and report.risk.generalised else {}
    levels: list[str] = []
    qi = report.quasi_identifiers
    county = [name for name in qi if "county" in name_words(name)]
    town = [name for name in qi if name_words(name)[-1:] in (["town"], ["city"])]
    levels += (county or town)[:1]
    levels += [f"{name}:year" for name, how in plan.items() if how == "year"][:1]
    levels += [name for name in qi if set(name_words(name)) & {"sex", "gender"}][:1]
    return levels


def _suppress(report: ScreenReport) -> Recommendation | None:
    risk = report.risk
    if risk is None or risk.records_at_risk == 0:
        return None
    detail = (
        f"{risk.records_at_risk_count} record(s) ({risk.records_at_risk:.1%}) fall in "
        f"classes smaller than {report.threshold}. Suppress them, or in any aggregate suppress "
        f"cells of 1 to {report.threshold} with complementary suppression (never zeros)."
    )
    return _make("suppress", list(report.quasi_identifiers), detail)


def _cell_rules(report: ScreenReport) -> Recommendation | None:
    judged = report.table
    if judged is None or judged.safe:
        return None
    problems = []
    if judged.small_visible:
        problems.append(f"{judged.small_visible} visible count(s) from 1 to {report.threshold}")
    if judged.recoverable:
        problems.append(f"{judged.recoverable} hidden cell(s) recomputable from the line totals")
    detail = (
        f"This is an aggregate table with {'; '.join(problems)} (e.g. "
        f"{', '.join(judged.examples)}). Aggregate the record-level source with manage.py "
        f"suppress, which hides them with complementary suppression and audits the result."
    )
    return _make("suppress", [*judged.by, judged.count], detail)


def _review_free_text(report: ScreenReport) -> Recommendation | None:
    names = _columns(report, FREE_TEXT) + _free_text_elsewhere(report)
    if not names:
        return None
    examples = []
    for column in report.columns:
        evidence = [item for item in column.evidence if item.pattern == "free_text"]
        if column.name in names and evidence:
            examples.append(f"{column.name}: {', '.join(map(repr, evidence[0].examples))}")
    detail = (
        "Free text can carry names, addresses, room numbers and dates: review it, code it into "
        "categories, or drop it."
    )
    if examples:
        detail += " Values seen once, e.g. " + "; ".join(examples) + "."
    return _make("review", names, detail)


def _free_text_elsewhere(report: ScreenReport) -> list[str]:
    """Columns classed higher (e.g. sensitive) whose values are free text all the same."""
    return [
        column.name
        for column in report.columns
        if column.classification != FREE_TEXT
        and any(item.pattern == "free_text" for item in column.evidence)
    ]


def _sensitive(report: ScreenReport) -> Recommendation | None:
    names = _columns(report, SENSITIVE)
    if not names:
        return None
    detail = (
        "Sensitive attributes (health, financial, justice): publish them only where every "
        f"quasi-identifier class has at least {report.threshold} records, or in aggregate."
    )
    return _make("review", names, detail)
