"""Classify one column from its name and a bounded sample of its values.

Classes, strongest first: unique_identifier, quasi_identifier, sensitive, free_text, other.
A column takes the strongest class any rule gives it; every rule leaves a reason, and value
patterns leave evidence (share of sampled values that match, masked examples).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

UNIQUE_IDENTIFIER = "unique_identifier"
QUASI_IDENTIFIER = "quasi_identifier"
SENSITIVE = "sensitive"
FREE_TEXT = "free_text"
OTHER = "other"
CLASSES = (UNIQUE_IDENTIFIER, QUASI_IDENTIFIER, SENSITIVE, FREE_TEXT, OTHER)
TOP_AGE = 89  # HIPAA Safe Harbor groups ages over 89
MATCH_SHARE = 0.5  # a pattern classifies a column when at least half the sampled values match

# Value patterns: (name, compiled regex, class given when the column mostly matches). Every one
# but e-mail needs a digit somewhere in what it matches, e-mail an "@" (`_Values.candidates`):
# tests/privacy/test_privacy_engine_classify.py holds each pattern to that.
PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "ssn": (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), UNIQUE_IDENTIFIER),
    "email": (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b"), UNIQUE_IDENTIFIER),
    "phone": (
        re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)"),
        UNIQUE_IDENTIFIER,
    ),
    "street_address": (
        re.compile(
            r"\b\d{1,6}\s+(?:[A-Za-z0-9.'-]+\s+){1,4}(?:st|street|ave|avenue|rd|road|blvd|"
            r"boulevard|dr|drive|ln|lane|way|ct|court|pl|place|ter|terrace|hwy|highway|tpke|"
            r"turnpike)\b\.?",
            re.IGNORECASE,
        ),
        UNIQUE_IDENTIFIER,
    ),
    "full_date": (
        re.compile(r"^\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})\b"),
        QUASI_IDENTIFIER,
    ),
    "zip_code": (re.compile(r"^\s*\d{5}(?:-\d{4})?\s*$"), QUASI_IDENTIFIER),
    "coordinates": (re.compile(r"-?\d{1,3}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}"), QUASI_IDENTIFIER),
}
_WHITESPACE = re.compile(r"\s")
_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
FREE_TEXT_MIN_DISTINCT = 20
FREE_TEXT_LONG = 40  # characters: longer values are notes, not labels
FREE_TEXT_EXAMPLES = 3
_THREE_WORDS = re.compile(r"\S+\s+\S+\s+\S")
_PERSON_NAME = re.compile(
    r"^\s*[A-Z][A-Za-z'.-]+,?\s+(?:[A-Z][A-Za-z'.-]*\s+)?[A-Z][A-Za-z'.-]+\s*$"
)

# Name hints, matched against the words of a column name ("ResidenceCity" → residence, city).
IDENTIFIER_WORDS = {
    "ssn", "social", "email", "phone", "telephone", "mobile", "fax", "address", "street",
    "mrn", "passport", "license", "licence", "firstname", "lastname", "surname", "fullname",
    "dob", "birthdate",
}  # fmt: skip
NAME_WORDS = {"name", "names", "firstname", "lastname", "surname", "fullname"}
NOT_PERSON_WORDS = {
    "agency", "town", "city", "county", "state", "facility", "business", "company", "school",
    "program", "street", "drug", "product", "dataset", "file", "organization", "provider",
    "department", "district", "place", "location", "field", "column",
}  # fmt: skip
QUASI_WORDS = {
    "age", "sex", "gender", "race", "ethnicity", "ethnic", "hispanic", "zip", "zipcode",
    "postal", "town", "city", "county", "residence", "birth", "born", "marital", "geo",
    "latitude", "longitude", "lat", "lon", "lng", "occupation", "tract", "municipality",
}  # fmt: skip
DATE_WORDS = {"date", "dob", "dod", "birth", "death", "died", "admission", "discharge", "time"}
SENSITIVE_WORDS = {
    "cod", "cause", "death", "manner", "diagnosis", "disease", "condition", "health", "medical",
    "hiv", "aids", "std", "injury", "drug", "drugs", "substance", "overdose", "toxicology",
    "treatment", "medication", "disability", "mental", "pregnancy", "income", "salary",
    "wage", "wages", "financial", "account", "credit", "debt", "benefit", "conviction",
    "offense", "charge", "arrest", "sentence", "religion", "sexual", "orientation", "opioid",
    "opiate", "heroin", "cocaine", "fentanyl", "oxycodone", "oxymorphone", "ethanol",
    "alcohol", "hydrocodone", "benzodiazepine", "methadone", "amphet", "amphetamine",
    "tramad", "tramadol", "morphine", "hydromorphone", "significan", "significant",
}  # fmt: skip
ID_WORDS = {"id", "identifier", "case", "record", "number", "no", "key", "uuid"}


@dataclass
class PatternEvidence:
    pattern: str
    share: float  # of sampled non-empty values
    matches: int
    examples: list[str] = field(default_factory=list)  # masked


@dataclass
class ColumnReport:
    name: str
    classification: str
    reasons: list[str] = field(default_factory=list)
    evidence: list[PatternEvidence] = field(default_factory=list)
    sampled: int = 0
    distinct_share: float = 0.0


def name_words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [word for word in re.split(r"[^a-z0-9]+", spaced.lower()) if word]


def mask(value: str, pattern: str) -> str:
    """Show a value's shape, never the value: digits → #, letters after a word's first → *."""
    if pattern == "full_date":
        return re.sub(r"(?<!\d)(\d{1,2})(?=[-/.])", lambda m: "#" * len(m.group(1)), value)[:40]
    if pattern in {"zip_code", "age_over_89"}:
        return value[:3] + re.sub(r"\d", "#", value[3:])
    masked = re.sub(r"\d", "#", value)
    masked = re.sub(r"(?<=[A-Za-z])[A-Za-z]", "*", masked)
    return masked[:40]


@dataclass
class _Values:
    """Distinct sampled values with how often each occurs: patterns run once per distinct value."""

    unique: list[str]
    weights: np.ndarray
    total: int

    def share(self, hits: np.ndarray) -> float:
        return float(self.weights[hits].sum() / self.total) if self.total else 0.0

    def examples(self, hits: np.ndarray, pattern: str) -> list[str]:
        return [mask(self.unique[i], pattern) for i in np.flatnonzero(hits)[:3]]

    def test(self, regex: re.Pattern[str], among: np.ndarray | None = None) -> np.ndarray:
        """Which distinct values `regex` finds something in. `among` (indices) limits the search
        to the values that can match at all; the rest are misses."""
        if among is None:
            found = (regex.search(v) is not None for v in self.unique)
            return np.fromiter(found, bool, len(self.unique))
        hits = np.zeros(len(self.unique), bool)
        unique = self.unique
        hits[[i for i in among if regex.search(unique[i]) is not None]] = True
        return hits

    def candidates(self, key: str) -> np.ndarray:
        """The values a value pattern can match: with an "@" for e-mail, with a digit for the
        others. One cheap pass instead of each pattern's regex over every value."""
        return self._with_at if key == "email" else self._with_digit

    @cached_property
    def _with_digit(self) -> np.ndarray:
        return np.fromiter(
            (i for i, v in enumerate(self.unique) if _DIGIT.search(v) is not None), np.intp
        )

    @cached_property
    def _with_at(self) -> np.ndarray:
        return np.fromiter((i for i, v in enumerate(self.unique) if "@" in v), np.intp)


def distinct_counts(sample: pd.Series) -> pd.Series:
    """Each distinct non-empty value (stripped) and how often it occurs, in order of first
    appearance. Counts the raw values, then strips each distinct one and adds up those that
    become equal: stripping every sampled value first cost a call per row."""
    raw = sample.dropna().astype(str).value_counts(sort=False)
    stripped = pd.Index([value.strip() for value in raw.index], dtype=object)
    counts = raw.groupby(stripped, sort=False).sum() if len(raw) else raw
    return counts[counts.index != ""]


def classify_column(name: str, sample: pd.Series) -> ColumnReport:
    """Classify from the name and a sample of the column's values (text, NaN for missing)."""
    counts = distinct_counts(sample)
    values = _Values(list(counts.index), counts.to_numpy(), int(counts.sum()))
    report = ColumnReport(name=name, classification=OTHER, sampled=values.total)
    if values.total:
        report.distinct_share = round(len(values.unique) / values.total, 4)
    words = set(name_words(name))
    candidates = _from_name(words, report) + _from_values(words, values, report)
    report.classification = min(candidates, key=CLASSES.index, default=OTHER)
    return report


def _from_name(words: set[str], report: ColumnReport) -> list[str]:
    found: list[str] = []
    if words & IDENTIFIER_WORDS:
        found.append(_note(report, UNIQUE_IDENTIFIER, "name suggests a direct identifier"))
    if words & QUASI_WORDS:
        found.append(_note(report, QUASI_IDENTIFIER, "name suggests a quasi-identifier"))
    if words & SENSITIVE_WORDS:
        found.append(_note(report, SENSITIVE, "name suggests a sensitive attribute"))
    return found


def _from_values(words: set[str], values: _Values, report: ColumnReport) -> list[str]:
    if not values.total:
        return []
    found = [_pattern_class(key, values, report) for key in PATTERNS]
    found += [_person_names(words, values, report), _ages_over_89(words, values, report)]
    found += [_record_key(words, values, report), _free_text(values, report)]
    return [cls for cls in found if cls]


def _evidence(report: ColumnReport, values: _Values, hits: np.ndarray, pattern: str) -> float:
    share = values.share(hits)
    matches = int(values.weights[hits].sum())
    examples = values.examples(hits, pattern)
    report.evidence.append(PatternEvidence(pattern, round(share, 4), matches, examples))
    return share


def _pattern_class(key: str, values: _Values, report: ColumnReport) -> str | None:
    regex, cls = PATTERNS[key]
    hits = values.test(regex, among=values.candidates(key))
    if not hits.any():
        return None
    share = _evidence(report, values, hits, key)
    if share >= MATCH_SHARE:
        return _note(report, cls, f"{share:.0%} of sampled values look like {key}")
    if cls == UNIQUE_IDENTIFIER and share >= 0.01:
        # A few SSNs or e-mails hidden in a text column are still a disclosure.
        return _note(report, UNIQUE_IDENTIFIER, f"some values contain {key}")
    return None


def _person_names(words: set[str], values: _Values, report: ColumnReport) -> str | None:
    if not words & NAME_WORDS or words & NOT_PERSON_WORDS:
        return None
    hits = values.test(_PERSON_NAME)
    if values.share(hits) < MATCH_SHARE:
        return None
    share = _evidence(report, values, hits, "person_name")
    return _note(report, UNIQUE_IDENTIFIER, f"{share:.0%} of values look like person names")


def _ages_over_89(words: set[str], values: _Values, report: ColumnReport) -> str | None:
    if not words & {"age", "ages"}:
        return None
    ages = pd.to_numeric(pd.Series(values.unique, dtype=object), errors="coerce").to_numpy()
    if values.share(~np.isnan(ages)) < MATCH_SHARE:
        return None
    old = ages > TOP_AGE
    if old.any():
        _evidence(report, values, old, "age_over_89")
    return _note(report, QUASI_IDENTIFIER, "numeric ages")


def _record_key(words: set[str], values: _Values, report: ColumnReport) -> str | None:
    # A value unique to each record (case number, record id) links the row to other records.
    if not words & ID_WORDS or values.total < 20 or report.distinct_share < 0.95:
        return None
    if values.share(values.test(_WHITESPACE)) > 0.5:
        return None
    return _note(report, UNIQUE_IDENTIFIER, "record identifier: nearly every value is distinct")


def _free_text(values: _Values, report: ColumnReport) -> str | None:
    if any(item.share >= MATCH_SHARE for item in report.evidence):
        return None  # a recognised format (dates, coordinates), not prose
    reason = _free_text_reason(values, report)
    if reason is None:
        return None
    once = values.weights == 1
    # The riskiest first: values with digits (room, street numbers), then the longest.
    risky = sorted(
        np.flatnonzero(once),
        key=lambda i: (not _DIGIT.search(values.unique[i]), -len(values.unique[i]), i),
    )
    examples = [_excerpt(values.unique[i]) for i in risky[:FREE_TEXT_EXAMPLES]]
    share = round(values.share(once), 4)
    report.evidence.append(PatternEvidence("free_text", share, int(once.sum()), examples))
    return _note(report, FREE_TEXT, reason)


def _free_text_reason(values: _Values, report: ColumnReport) -> str | None:
    """Prose, or labels typed by hand: many values seen once (a motel's room number, a friend's
    street), or long values. Town names and codes repeat too much to qualify."""
    distinct = len(values.unique)
    if values.share(values.test(_THREE_WORDS)) >= 0.3 and report.distinct_share >= 0.2:
        return "free text: many distinct multi-word values"
    if distinct < FREE_TEXT_MIN_DISTINCT or values.share(values.test(_LETTER)) < 0.8:
        return None
    once = int((values.weights == 1).sum())
    if once / distinct >= 0.5 and once / values.total >= 0.03:
        return f"free text: {distinct} distinct values, {once} of them seen only once"
    lengths = np.fromiter((len(v) for v in values.unique), int, distinct)
    if np.median(lengths) >= FREE_TEXT_LONG:
        return f"free text: long values (median {int(np.median(lengths))} characters)"
    return None


def _excerpt(value: str) -> str:
    """A risky value, shortened and with its digits masked (room and street numbers)."""
    short = re.sub(r"\d", "#", value)
    return short if len(short) <= 24 else short[:24] + "…"


def _note(report: ColumnReport, cls: str, reason: str) -> str:
    report.reasons.append(reason)
    return cls


def date_named(name: str) -> bool:
    return bool(set(name_words(name)) & DATE_WORDS)
