"""Metadata quality lint, following the CT Open Data Handbook checklist.

Works on a plain mapping or `DatasetMetadata`, not on models: the Dataset model will adapt to it.
Each checklist item has a weight; the completeness score is the share of weight whose item has no
finding, from 0 to 100.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass, field, fields

from inventories.temporal import EXAMPLE as TEMPORAL_EXAMPLE
from inventories.temporal import TemporalError, temporal_interval

UPDATE_FREQUENCIES = (
    "Not updated (historical only)", "As needed", "Annually", "Bi-annually", "Quarterly",
    "Bi-monthly", "Monthly", "Bi-weekly", "Weekly", "Every weekday", "Daily", "Other",
)  # fmt: skip
HISTORICAL = "Not updated (historical only)"
# Acronyms a Connecticut reader knows without expansion.
KNOWN_ACRONYMS = {"CT", "US", "USA", "ZIP", "COVID", "COVID-19", "ID", "GIS", "PDF", "CSV"}
TITLE_MIN_CHARS, TITLE_MAX_CHARS = 15, 100
DESCRIPTION_MIN_CHARS, DESCRIPTION_MAX_CHARS = 150, 4000
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

# Person-first language: term → suggested replacement. Matched as whole words, any case.
PERSON_FIRST = {
    "inmate": "person who is incarcerated",
    "inmates": "people who are incarcerated",
    "prisoner": "person who is incarcerated",
    "prisoners": "people who are incarcerated",
    "addict": "person with a substance use disorder",
    "addicts": "people with a substance use disorder",
    "drug abuser": "person who uses drugs",
    "substance abuser": "person who uses substances",
    "substance abuse": "substance use",
    "alcoholic": "person with an alcohol use disorder",
    "the homeless": "people experiencing homelessness",
    "homeless person": "person experiencing homelessness",
    "homeless people": "people experiencing homelessness",
    "the disabled": "people with disabilities",
    "disabled person": "person with a disability",
    "handicapped": "person with a disability",
    "wheelchair-bound": "person who uses a wheelchair",
    "mentally ill": "person with a mental illness",
    "felon": "person with a felony conviction",
    "felons": "people with felony convictions",
    "ex-offender": "person returning from incarceration",
    "illegal alien": "undocumented immigrant",
    "illegal immigrant": "undocumented immigrant",
    "juvenile delinquent": "young person involved with the justice system",
}


@dataclass
class DatasetMetadata:
    title: str = ""
    description: str = ""
    owner: str = ""
    contact_email: str = ""
    update_frequency: str = ""
    row_label: str = ""
    source_link: str = ""
    license: str = ""
    temporal_coverage: str = ""
    columns: list[dict] = field(default_factory=list)  # [{"name": ..., "description": ...}]
    has_last_updated_column: bool = False

    @classmethod
    def from_mapping(cls, data: Mapping) -> DatasetMetadata:
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items() if key in known and value is not None}
        return cls(**values)


@dataclass
class Finding:
    item: str  # checklist item: title, description, owner, ...
    code: str
    message: str
    fix: str


@dataclass
class LintReport:
    findings: list[Finding]
    score: int  # 0 to 100

    @property
    def passed(self) -> bool:
        return not self.findings

    def codes(self) -> set[str]:
        return {finding.code for finding in self.findings}

    def to_dict(self) -> dict:
        return asdict(self)


def lint_metadata(metadata: DatasetMetadata | Mapping, *, skip: Collection[str] = ()) -> LintReport:
    """Run the checklist; `skip` leaves out items that cannot be judged yet (an inventory entry
    has no columns before its data is attached), and the score counts only what was checked."""
    if not isinstance(metadata, DatasetMetadata):
        metadata = DatasetMetadata.from_mapping(metadata)
    checks = [entry for entry in CHECKS if entry[0] not in skip]
    findings: list[Finding] = []
    for _item, _weight, check in checks:
        findings += check(metadata)
    failed = {finding.item for finding in findings}
    total = sum(weight for _, weight, _ in checks)
    earned = sum(weight for item, weight, _ in checks if item not in failed)
    return LintReport(findings=findings, score=round(100 * earned / total))


def _missing(item: str, what: str, fix: str, code: str = "") -> list[Finding]:
    return [Finding(item, code or f"{item}_missing", f"No {what}.", fix)]


def check_title(meta: DatasetMetadata) -> list[Finding]:
    title = meta.title.strip()
    if not title:
        return _missing("title", "title", "Name the data in plain words: what, where, when.")
    found = []
    if len(title) < TITLE_MIN_CHARS or len(title.split()) < 3:
        found.append(
            Finding(
                "title",
                "title_too_short",
                f"Title {title!r} is too short.",
                "Say what the rows are and their place and period.",
            )
        )
    if len(title) > TITLE_MAX_CHARS:
        found.append(
            Finding(
                "title",
                "title_too_long",
                f"Title has {len(title)} characters.",
                f"Keep it under {TITLE_MAX_CHARS}; move detail to the description.",
            )
        )
    if "_" in title:
        found.append(
            Finding(
                "title",
                "title_underscores",
                "Title contains underscores.",
                "Write words separated by spaces, not a file or table name.",
            )
        )
    letters, capitals = _capitals(title)
    if letters >= 8 and capitals / letters > 0.8:
        found.append(
            Finding(
                "title",
                "title_all_caps",
                "Title is in capital letters.",
                "Use title case or sentence case.",
            )
        )
    return found + _acronyms(meta)


def _capitals(text: str) -> tuple[int, int]:
    """(letters, capital letters) in the text; counted in C, as an import scores 10,000 titles."""
    letters = "".join(filter(str.isalpha, text))
    return len(letters), sum(map(str.isupper, letters))


def _acronyms(meta: DatasetMetadata) -> list[Finding]:
    words = _ACRONYM.findall(meta.title)
    if not words:
        return []
    letters, capitals = _capitals(meta.title)
    if letters and capitals / letters > 0.8:
        return []  # an all-caps title is one finding, not one per word
    unexplained = [
        word for word in dict.fromkeys(words)
        if word not in KNOWN_ACRONYMS and not _explained(word, meta.description)
    ]  # fmt: skip
    return [
        Finding("title", "title_acronym", f"Acronym {word!r} is not explained.",
                f"Spell out {word} in the title, or write it out in the description "
                f"followed by ({word}).")
        for word in unexplained
    ]  # fmt: skip


def _explained(acronym: str, text: str) -> bool:
    # "Office of the Chief Medical Examiner (OCME)" or "OCME (Office of ...)".
    escaped = re.escape(acronym)
    return bool(re.search(rf"\w[\w\s,'-]*\(\s*{escaped}\s*\)|\b{escaped}\s*\(\s*\w", text))


DESCRIPTION_TOPICS = {
    "source": (r"\bsource\b|\bprovided by\b|\bcomes? from\b|\bcollected by\b|\bmaintained by\b",
               "Say where the data comes from (system, agency, program)."),
    "method": (r"\bcollect|\bcompil|\bcreated\b|\bgenerat|\brecorded\b|\breported\b|\bderived\b|"
               r"\bextract|\bentered\b|\bsurvey", "Say how the data is created or collected."),
    "limitations": (r"\blimitation|\bcaveat|\bnot include|\bexclud|\bmay not\b|\bincomplete|"
                    r"\bshould not\b|\bnote that\b|\bdoes not\b|\bonly\b",
                    "Say what the data cannot be used for, gaps, and known errors."),
}  # fmt: skip


# Compiled once: an import scores 10,000 rows (ADR 0022).
_TOPIC_PATTERNS = {
    topic: (re.compile(pattern, re.IGNORECASE), fix)
    for topic, (pattern, fix) in DESCRIPTION_TOPICS.items()
}
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&-]*[A-Z0-9]\b")


def check_description(meta: DatasetMetadata) -> list[Finding]:
    text = meta.description.strip()
    if not text:
        return _missing("description", "description", "Describe what the data contains.")
    found = []
    if len(text) < DESCRIPTION_MIN_CHARS:
        found.append(
            Finding(
                "description",
                "description_too_short",
                f"Description has {len(text)} characters.",
                "Explain what, source, how created, and limitations.",
            )
        )
    if len(text) > DESCRIPTION_MAX_CHARS:
        found.append(
            Finding(
                "description",
                "description_too_long",
                f"Description has {len(text)} characters.",
                "Move detail to an attached data dictionary.",
            )
        )
    for topic, (pattern, fix) in _TOPIC_PATTERNS.items():
        if not pattern.search(text):
            found.append(
                Finding(
                    "description",
                    f"description_no_{topic}",
                    f"Description does not cover the {topic}.",
                    fix,
                )
            )
    return found


def check_owner(meta: DatasetMetadata) -> list[Finding]:
    found = []
    if not meta.owner.strip():
        found += _missing("owner", "owner (agency or program)", "Name the agency that owns it.")
    if not meta.contact_email.strip():
        found += _missing(
            "owner", "contact e-mail", "Give a monitored address.", "contact_email_missing"
        )
    elif not _EMAIL.match(meta.contact_email.strip()):
        found.append(
            Finding(
                "owner",
                "contact_email_invalid",
                "Contact e-mail is not valid.",
                "Use an address such as data.officer@ct.gov.",
            )
        )
    return found


def check_update_frequency(meta: DatasetMetadata) -> list[Finding]:
    value = meta.update_frequency.strip()
    if not value:
        return _missing("update_frequency", "update frequency", "Choose how often it changes.")
    if value not in UPDATE_FREQUENCIES:
        return [
            Finding(
                "update_frequency",
                "update_frequency_unknown",
                f"Update frequency {value!r} is not a portal choice.",
                "Use one of: " + ", ".join(UPDATE_FREQUENCIES) + ".",
            )
        ]
    return []


def check_simple(item: str, what: str, fix: str) -> Callable[[DatasetMetadata], list[Finding]]:
    def check(meta: DatasetMetadata) -> list[Finding]:
        return [] if str(getattr(meta, item)).strip() else _missing(item, what, fix)

    return check


def check_temporal_coverage(meta: DatasetMetadata) -> list[Finding]:
    if not str(meta.temporal_coverage).strip():
        return _missing("temporal_coverage", "temporal coverage", "Give the period covered.")
    try:
        temporal_interval(str(meta.temporal_coverage))
    except TemporalError as error:
        # Rows stored before the form checked periods: data.json leaves them out, this says why.
        return [
            Finding(
                "temporal_coverage",
                "temporal_coverage_invalid",
                f"Temporal coverage is not a valid period: {error}.",
                f"Write a start and an end, e.g. {TEMPORAL_EXAMPLE}.",
            )
        ]
    return []


def check_source_link(meta: DatasetMetadata) -> list[Finding]:
    link = meta.source_link.strip()
    if not link:
        return _missing("source_link", "source link", "Link the page or system the data is from.")
    if not _URL.match(link):
        return [
            Finding(
                "source_link",
                "source_link_invalid",
                "Source link is not a web address.",
                "Give a full address starting with https://.",
            )
        ]
    return []


def check_columns(meta: DatasetMetadata) -> list[Finding]:
    if not meta.columns:
        return _missing("columns", "column list", "List every column with a description.")
    bare = [
        str(col.get("name", "?"))
        for col in meta.columns
        if not str(col.get("description") or "").strip()
    ]
    if not bare:
        return []
    return [
        Finding(
            "columns",
            "column_description_missing",
            f"{len(bare)} of {len(meta.columns)} columns have no description: "
            + ", ".join(bare[:10]),
            "Describe each column: meaning, unit, codes.",
        )
    ]


def check_last_updated(meta: DatasetMetadata) -> list[Finding]:
    if meta.update_frequency.strip() in ("", HISTORICAL) or meta.has_last_updated_column:
        return []
    return [
        Finding(
            "last_updated",
            "last_updated_column_missing",
            "The data is updated but has no last-updated column.",
            "Add a column with the date each row was last updated.",
        )
    ]


# One pass over the text for every term (the longest first, so "mentally ill" is not read as a
# shorter term): linting 20,000 datasets for the dashboard made per-term searches the hot spot.
_PERSON_FIRST_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(term) for term in sorted(PERSON_FIRST, key=len, reverse=True))
    + r")(?![\w-])",
    re.IGNORECASE,
)


def check_person_first(meta: DatasetMetadata) -> list[Finding]:
    texts = [meta.title, meta.description, meta.row_label]
    texts += [f"{col.get('name', '')} {col.get('description') or ''}" for col in meta.columns]
    used = {match.lower() for match in _PERSON_FIRST_PATTERN.findall("\n".join(texts))}
    # In the list's order, so the findings read the same whatever the text.
    return [
        Finding(
            "person_first", "person_first_language", f"Uses {term!r}.", f"Write {better!r} instead."
        )
        for term, better in PERSON_FIRST.items()
        if term in used
    ]


CHECKS: list[tuple[str, int, Callable[[DatasetMetadata], list[Finding]]]] = [
    ("title", 15, check_title),
    ("description", 15, check_description),
    ("owner", 10, check_owner),
    ("update_frequency", 10, check_update_frequency),
    ("row_label", 5, check_simple("row_label", "row label", "Say what one row is, e.g. Death.")),
    ("source_link", 5, check_source_link),
    ("license", 5, check_simple("license", "license", "State the public license.")),
    ("temporal_coverage", 5, check_temporal_coverage),
    ("columns", 15, check_columns),
    ("last_updated", 5, check_last_updated),
    ("person_first", 10, check_person_first),
]  # fmt: skip
