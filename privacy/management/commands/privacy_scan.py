"""`manage.py privacy_scan <path-or-url>`: the privacy screen of a CSV or XLSX source."""

from __future__ import annotations

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy.engine.screen import DEFAULT_THRESHOLD, ScreenReport, screen_source
from privacy.engine.sources import DEFAULT_CHUNKSIZE


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


class Command(BaseCommand):
    help = "Screen a CSV or XLSX file (path or URL) for identifiers and re-identification risk."
    # A read-only command that touches no model: the system checks (URL configuration, admin,
    # templates) cost about 0.2 s of a one-second run and say nothing about a screen.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="path or http(s) URL of a CSV or XLSX file")
        parser.add_argument("--quasi", type=_names, help="quasi-identifier columns, COL,COL")
        parser.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--chunksize", type=int, default=DEFAULT_CHUNKSIZE)

    def handle(self, *args, **options) -> None:
        try:
            report = screen_source(
                options["source"],
                quasi=options["quasi"],
                threshold=options["threshold"],
                chunksize=options["chunksize"],
            )
        except (ValueError, OSError, requests.RequestException) as error:
            raise CommandError(f"cannot screen {options['source']}: {error}") from error
        if options["json"]:
            self.stdout.write(report.to_json(indent=2))
        else:
            self.stdout.write(render(report))


def render(report: ScreenReport) -> str:
    lines = [
        f"Privacy screen of {report.source}",
        f"{report.rows} rows; columns classified on the first {report.sample_rows}.",
        f"Verdict: {report.verdict.upper()}",
        "",
        "Columns:",
    ]
    for column in report.columns:
        lines.append(f"  {column.name:<28} {column.classification}")
        for reason in column.reasons:
            lines.append(f"      - {reason}")
        for item in column.evidence:
            examples = ", ".join(repr(example) for example in item.examples)
            lines.append(f"      - {item.pattern}: {item.share:.0%} of sample, e.g. {examples}")
    lines += _free_text_lines(report)
    lines += ["", *(_table_lines(report) if report.table else _risk_lines(report))]
    lines += ["", "Recommendations:"]
    for item in report.recommendations:
        lines.append(f"  * [{item.action}] {', '.join(item.columns)}")
        lines.append(f"      {item.detail}")
    return "\n".join(lines)


def _risk_lines(report: ScreenReport) -> list[str]:
    risk = report.risk
    lines = [
        f"Quasi-identifiers: {', '.join(report.quasi_identifiers) or '(none)'}",
        f"k = {report.k}; records in classes smaller than {report.threshold}: "
        f"{report.records_at_risk:.1%}",
    ]
    if risk is None:
        return lines
    sizes = ", ".join(f"{b.sizes}: {b.classes} classes/{b.records} rows" for b in risk.class_sizes)
    lines.append(f"Class sizes: {sizes}")
    if risk.removal_path:
        path = " -> ".join(
            f"without {d.column}: {d.records_at_risk_without:.1%}" for d in risk.removal_path
        )
        lines.append(f"Driven by: {path}")
    if risk.generalised:
        lines.append(
            f"After generalising: k = {risk.generalised.k}, "
            f"{risk.generalised.records_at_risk:.1%} at risk"
        )
    return lines


def _free_text_lines(report: ScreenReport) -> list[str]:
    found = [
        (column.name, item)
        for column in report.columns
        for item in column.evidence
        if item.pattern == "free_text"
    ]
    if not found:
        return []
    lines = ["", "Free text (values seen once can name a place or a person):"]
    for name, item in found:
        examples = ", ".join(repr(example) for example in item.examples)
        lines.append(f"  {name}: {item.matches} value(s) seen once, e.g. {examples}")
    return lines


def _table_lines(report: ScreenReport) -> list[str]:
    table = report.table
    lines = [
        f"Aggregate table: cells by {', '.join(table.by)}, counts in {table.count}; "
        f"{table.cells} cells, {table.hidden} suppressed.",
        f"Visible counts from 1 to {report.threshold}: {table.small_visible}; "
        f"suppressed cells recomputable from the line totals: {table.recoverable}.",
    ]
    if table.examples:
        lines.append(f"e.g. {'; '.join(table.examples)}")
    return lines
