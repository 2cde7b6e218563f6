"""The enumerations of an open data access plan (shared/DOMAIN.md: Evaluation, Prioritisation,
Privacy), and the field names that hold each checklist."""

from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


class Intent(models.TextChoices):
    PUBLISH_NEW = "publish_new", "Publish new"
    MAINTAIN = "maintain", "Already published (maintain)"
    IMPROVE = "improve", "Improve (more detail, automate, better metadata)"
    REGISTER_EXTERNAL = "register_external", "Register an external source (link only)"
    RETIRE = "retire", "Retire"
    NOT_PUBLISHABLE = "not_publishable", "Not publishable"


# Intents that put (or keep) the data in public view: the plan-vs-actual figures count these.
PUBLISHING_INTENTS = frozenset(
    {Intent.PUBLISH_NEW, Intent.MAINTAIN, Intent.IMPROVE, Intent.REGISTER_EXTERNAL}
)


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class PrivacyTreatment(models.TextChoices):
    AGGREGATE = "aggregate", "Aggregate"
    REMOVE_IDENTIFIERS = "remove_identifiers", "Remove identifiers"
    SUPPRESS_SMALL_CELLS = "suppress_small_cells", "Suppress small cells"
    EXCEPTION = "exception", "Justified exception (published as is)"


class Method(models.TextChoices):
    PORTAL_UPLOAD = "portal_upload", "CT Open Data Portal upload"
    AUTOMATED_REFRESH = "automated_refresh", "Automated refresh"
    EXTERNAL_LINK = "external_link", "External link"
    GEO_PORTAL = "geo_portal", "CT Geo Data Portal"


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class Recommendation(models.TextChoices):
    """What a DAPA analyst recommends to the CDO, who decides (blank: a comment only)."""

    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "request_changes", "Request changes"


# (field name, question) — Publishing guidance step 2: publish only if every one holds.
EVALUATION = [
    ("eval_owned", "The data belongs to the agency"),
    ("eval_no_fee", "No fee is charged for access or use"),
    ("eval_unrestricted", "Free of legal, contract or policy restrictions"),
    ("eval_update_plan", "Has a plan for predictable or regular updates"),
    ("eval_privacy_safe", "Does not violate the privacy of individuals in it"),
]
# Publishing guidance step 2: reasons to consider publishing.
REASONS = [
    ("reason_foi", "Subject to FOI / public-records disclosure"),
    ("reason_shared", "Shared with other agencies for operations"),
    ("reason_grants", "Used for federal, state or nonprofit grant reports"),
    ("reason_analysis", "Used for trend, statistical or performance analysis"),
    ("reason_requested", "Frequently requested"),
    ("reason_high_impact", "High impact and high value to stakeholders"),
]
# Access Plan guidance step 4.
CRITERIA = [
    ("crit_goals", "Aligned with state and agency goals"),
    ("crit_state_plan", "Related to the State Data Plan focal points"),
    ("crit_stakeholders", "High priority for partner agencies, the public or stakeholders"),
    ("crit_quality", "Accurate and complete"),
    ("crit_machine_readable", "Machine-readable"),
]
