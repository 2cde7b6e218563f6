"""The enumerations of shared/DOMAIN.md: statutory criteria, portal metadata, DCAT-US codes."""

import datetime

from django.db import models


class Criterion(models.TextChoices):
    """High-value data criteria, CGS §4-67o (A)–(H)."""

    A = "A", "(A) Critical to the operation of an executive branch agency"
    B = "B", "(B) Can increase agency accountability and responsiveness"
    C = "C", "(C) Can improve public knowledge of the agency and its operations"
    D = "D", "(D) Can further the core mission of the agency"
    E = "E", "(E) Can create economic opportunity"
    F = "F", "(F) Is frequently requested by the public"
    G = "G", "(G) Responds to a need and demand identified through public consultation"
    H = "H", "(H) Is used to satisfy legislative or other reporting requirements"


class AccessLevel(models.TextChoices):
    """DCAT-US accessLevel."""

    PUBLIC = "public", "Public"
    RESTRICTED = "restricted public", "Restricted public"
    NON_PUBLIC = "non-public", "Non-public"


class Category(models.TextChoices):
    BUSINESS = "Business", "Business"
    EDUCATION = "Education", "Education"
    ENVIRONMENT = "Environment and Natural Resources", "Environment and Natural Resources"
    GOVERNMENT = "Government", "Government"
    HEALTH = "Health and Human Services", "Health and Human Services"
    HOUSING = "Housing and Development", "Housing and Development"
    LOCAL_GOVERNMENT = "Local Government", "Local Government"
    PUBLIC_SAFETY = "Public Safety", "Public Safety"
    TAX = "Tax and Revenue", "Tax and Revenue"
    TRANSPORTATION = "Transportation", "Transportation"


class GeographicUnit(models.TextChoices):
    LATLONG = "Latitude/longitude", "Latitude/longitude"
    ADDRESS = "Street address", "Street address"
    PARCEL = "Parcel (block/lot)", "Parcel (block/lot)"
    BLOCK = "Census block", "Census block"
    BLOCK_GROUP = "Census block group", "Census block group"
    TRACT = "Census tract", "Census tract"
    PLANNING_DISTRICT = "Planning District", "Planning District"
    ZIP = "Zip code", "Zip code"
    MUNICIPALITY = "Municipality", "Municipality"
    COUNTY = "County or county-equivalent", "County or county-equivalent"
    STATE = "State", "State"
    OTHER = "Other", "Other"
    NOT_APPLICABLE = "Not applicable", "Not applicable"


class UpdateFrequency(models.TextChoices):
    HISTORICAL = "Not updated (historical only)", "Not updated (historical only)"
    AS_NEEDED = "As needed", "As needed"
    ANNUALLY = "Annually", "Annually"
    BIANNUALLY = "Bi-annually", "Bi-annually"
    QUARTERLY = "Quarterly", "Quarterly"
    BIMONTHLY = "Bi-monthly", "Bi-monthly"
    MONTHLY = "Monthly", "Monthly"
    BIWEEKLY = "Bi-weekly", "Bi-weekly"
    WEEKLY = "Weekly", "Weekly"
    WEEKDAY = "Every weekday", "Every weekday"
    DAILY = "Daily", "Daily"
    OTHER = "Other", "Other"


# DCAT-US accrualPeriodicity (ISO 8601 repeating durations) and the expected interval in days.
# "Bi-annually" on the CT portal means twice a year (semiannual).
FREQUENCY_DETAILS: dict[str, tuple[str | None, int | None]] = {
    UpdateFrequency.HISTORICAL: (None, None),
    UpdateFrequency.AS_NEEDED: ("irregular", None),
    UpdateFrequency.ANNUALLY: ("R/P1Y", 366),
    UpdateFrequency.BIANNUALLY: ("R/P6M", 183),
    UpdateFrequency.QUARTERLY: ("R/P3M", 92),
    UpdateFrequency.BIMONTHLY: ("R/P2M", 62),
    UpdateFrequency.MONTHLY: ("R/P1M", 31),
    UpdateFrequency.BIWEEKLY: ("R/P2W", 14),
    UpdateFrequency.WEEKLY: ("R/P1W", 7),
    UpdateFrequency.WEEKDAY: ("R/P1D", 3),  # a weekend in between
    UpdateFrequency.DAILY: ("R/P1D", 1),
    UpdateFrequency.OTHER: ("irregular", None),
}


def accrual_periodicity(frequency: str) -> str | None:
    return FREQUENCY_DETAILS.get(frequency, (None, None))[0]


def expected_interval(frequency: str) -> datetime.timedelta | None:
    days = FREQUENCY_DETAILS.get(frequency, (None, None))[1]
    return datetime.timedelta(days=days) if days else None


class Availability(models.TextChoices):
    PORTAL = "portal", "CT Open Data Portal"
    GEO_PORTAL = "geo_portal", "CT Geo Data Portal"
    AGENCY_WEBSITE = "agency_website", "Agency website"
    REPORT_ONLY = "report_only", "Report or dashboard only"
    NOT_AVAILABLE = "not_available", "Not available"


class InventoryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned with comments"
    ACCEPTED = "accepted", "Accepted"
