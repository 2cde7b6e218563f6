"""Temporal coverage (DCAT-US `temporal`): what agencies write, checked and turned into ISO 8601.

Accepted, as agencies write it: two periods joined by `/`, `-`, `–`, `—` or ` to ` (`2012-2018`,
`2015-01/2024-06`, `2012-01-01/2018-12-31`, date-times such as `2020-01-01T00:00:00Z/2020-06-30`),
the start no later than the end; and the schema's other forms, a start or an end with a duration,
optionally repeating (`2020-01-01/P1Y`, `R/2020-01-01/P1M`, `P1Y/2024-12-31`). Every date is a
real calendar date: `1980-01-01/2025-13-45` is refused with the reason. One function,
`temporal_interval`, answers both the form's question (is it valid? why not?) and data.json's (what
to publish), so an entry the form would refuse is never published (ADR 0022).
"""

from __future__ import annotations

import calendar
import datetime
import re

from django.core.exceptions import ValidationError

EXAMPLE = "2012-01-01/2018-12-31, 2015-01/2024-06 or 2012-2018"
_PERIOD = r"\d{4}(?:-\d{2}(?:-\d{2}(?:T[0-9:.,]+(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?"
_RANGE = re.compile(rf"^({_PERIOD})\s*(?:/|–|—|-| to )\s*({_PERIOD})$")
_DURATION = re.compile(
    r"^P(?!$)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$"
)
_REPEAT = re.compile(r"^R\d*$")


class TemporalError(ValueError):
    """Why a coverage is not a period; the message is for the person who typed it."""


def _bounds(text: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The first and last instant of a year, month, day or date-time (naive, for ordering)."""
    if not re.fullmatch(_PERIOD, text):
        raise TemporalError(f"{text!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(text[:4])
    if year < 1:
        raise TemporalError(f"{text!r}: the year 0000 does not exist")
    if len(text) == 4:
        return datetime.datetime(year, 1, 1), datetime.datetime(year, 12, 31, 23, 59, 59)
    month = int(text[5:7])
    if not 1 <= month <= 12:
        raise TemporalError(f"{text!r} is not a date: months run from 01 to 12")
    if len(text) == 7:
        last = calendar.monthrange(year, month)[1]
        return datetime.datetime(year, month, 1), datetime.datetime(year, month, last, 23, 59, 59)
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise TemporalError(f"{text!r} is not a date: {text[:7]} has no day {text[8:10]}") from None
    if len(text) == 10:
        return (
            datetime.datetime.combine(day, datetime.time()),
            datetime.datetime.combine(day, datetime.time(23, 59, 59)),
        )
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise TemporalError(
            f"{text!r} is not a date and time (write 2020-01-31T08:30:00Z)"
        ) from None
    if moment.utcoffset() is not None:
        moment = (moment - moment.utcoffset()).replace(tzinfo=None)
    return moment, moment


def _ordered(start: str, end: str) -> str:
    first, _ = _bounds(start)
    _, last = _bounds(end)
    if first > last:
        raise TemporalError(f"the start {start} is after the end {end}")
    return f"{start}/{end}"


def _with_duration(parts: list[str]) -> str:
    """`[R[n]/]start/duration` or `[R[n]/]duration/end`."""
    body = parts[1:] if _REPEAT.match(parts[0]) else parts
    if len(body) != 2:
        raise TemporalError("write a start and an end, e.g. " + EXAMPLE)
    moment, duration = (body[1], body[0]) if body[0].startswith("P") else body
    if not _DURATION.match(duration):
        raise TemporalError(f"{duration!r} is not an ISO 8601 duration such as P1Y or P6M")
    _bounds(moment)
    return "/".join(parts)


def temporal_interval(coverage: str) -> str:
    """The ISO 8601 interval for `coverage` ("" when blank); TemporalError says why not."""
    text = " ".join(coverage.split())
    if not text:
        return ""
    parts = text.split("/")
    if any(part.startswith(("R", "P")) for part in parts):
        return _with_duration(parts)
    found = _RANGE.match(text)
    if found is None:
        raise TemporalError("write a start and an end, e.g. " + EXAMPLE)
    return _ordered(found[1], found[2])


def published_temporal(coverage: str) -> str | None:
    """What data.json says: the interval, or nothing when the stored text is not a valid one."""
    try:
        return temporal_interval(coverage) or None
    except TemporalError:
        return None


def validate_temporal_coverage(value: str) -> None:
    """Model validator: the form, the API and the import all run it."""
    try:
        temporal_interval(value)
    except TemporalError as error:
        raise ValidationError(
            "Not a valid period: %(reason)s.", code="temporal", params={"reason": error}
        ) from None
