"""The open data access plan (CGS §4-67p): per agency and year, a PlanItem per chosen dataset,
reviewed by the CDO; each submission is kept as a numbered PlanVersion (a JSON snapshot).
See docs/adr/0004-access-plans.md."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from access_plans.choices import (
    CRITERIA,
    EVALUATION,
    PUBLISHING_INTENTS,
    Decision,
    Intent,
    Method,
    PlanStatus,
    Priority,
    PrivacyTreatment,
    Recommendation,
)
from agencies.models import Agency
from inventories.choices import UpdateFrequency
from inventories.models import Dataset, Inventory

EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED})
REVIEWABLE_STATUSES = frozenset({PlanStatus.SUBMITTED, PlanStatus.IN_REVIEW})


class AccessPlanQuerySet(models.QuerySet):
    def awaiting_review(self) -> AccessPlanQuerySet:
        return self.filter(status__in=REVIEWABLE_STATUSES)

    def needing_privacy_treatment(self) -> AccessPlanQuerySet:
        """Plans with an item whose dataset carries privacy flags."""
        flagged = (
            Q(items__dataset__has_unique_identifiers=True)
            | Q(items__dataset__has_quasi_identifiers=True)
            | Q(items__dataset__has_sensitive_attributes=True)
        )
        return self.filter(pk__in=AccessPlan.objects.filter(flagged).values("pk"))

    def with_recommendations(self) -> AccessPlanQuerySet:
        """Prefetch DAPA's recommendations on each plan's current version, oldest first, as
        `current_recommendations` (one query)."""
        current = (
            PlanRecommendation.objects.filter(version__number=models.F("plan__version"))
            .select_related("author")
            .order_by("created_at", "pk")
        )
        return self.prefetch_related(
            models.Prefetch("recommendations", queryset=current, to_attr="current_recommendations")
        )


class AccessPlan(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="access_plans")
    year = models.PositiveIntegerField()
    inventory = models.ForeignKey(
        Inventory,
        on_delete=models.PROTECT,
        related_name="access_plans",
        help_text="The inventory the plan's items were chosen from.",
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(default=0, help_text="Number of submissions so far.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = AccessPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_plan_per_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.year} access plan"

    def get_absolute_url(self) -> str:
        return reverse("access_plans:detail", args=[self.agency.slug, self.year])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_reviewable(self) -> bool:
        return self.status in REVIEWABLE_STATUSES


def _bool(label: str) -> models.BooleanField:
    return models.BooleanField(label, default=False)


def _note() -> models.CharField:
    return models.CharField(max_length=500, blank=True)


class PlanItem(models.Model):
    plan = models.ForeignKey(AccessPlan, on_delete=models.CASCADE, related_name="items")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="plan_items")
    intent = models.CharField(max_length=20, choices=Intent.choices)
    not_publishable_reason = models.TextField(blank=True)

    # Evaluation: publish only if every condition holds (a failure needs a justification).
    eval_owned = _bool(EVALUATION[0][1])
    eval_owned_note = _note()
    eval_no_fee = _bool(EVALUATION[1][1])
    eval_no_fee_note = _note()
    eval_unrestricted = _bool(EVALUATION[2][1])
    eval_unrestricted_note = _note()
    eval_update_plan = _bool(EVALUATION[3][1])
    eval_update_plan_note = _note()
    eval_privacy_safe = _bool(EVALUATION[4][1])
    eval_privacy_safe_note = _note()
    evaluation_justification = models.TextField(
        blank=True, help_text="Why the item is planned for publication although a condition fails."
    )

    # Reasons to consider publishing.
    reason_foi = _bool("Subject to FOI / public-records disclosure")
    reason_foi_note = _note()
    reason_shared = _bool("Shared with other agencies for operations")
    reason_shared_note = _note()
    reason_grants = _bool("Used for federal, state or nonprofit grant reports")
    reason_grants_note = _note()
    reason_analysis = _bool("Used for trend, statistical or performance analysis")
    reason_analysis_note = _note()
    reason_requested = _bool("Frequently requested")
    reason_requested_note = _note()
    reason_high_impact = _bool("High impact and high value to stakeholders")
    reason_high_impact_note = _note()

    # Prioritisation: the priority is computed from these unless overridden with a reason.
    crit_goals = _bool(CRITERIA[0][1])
    crit_state_plan = _bool(CRITERIA[1][1])
    crit_stakeholders = _bool(CRITERIA[2][1])
    crit_quality = _bool(CRITERIA[3][1])
    crit_machine_readable = _bool(CRITERIA[4][1])
    priority = models.CharField(max_length=10, choices=Priority.choices, editable=False)
    priority_override = models.CharField(
        max_length=10, choices=Priority.choices, blank=True, help_text="Leave empty to compute."
    )
    priority_override_reason = models.CharField(max_length=500, blank=True)

    # Privacy treatment, required when the dataset has privacy flags.
    privacy_treatment = models.CharField(
        max_length=30, choices=PrivacyTreatment.choices, blank=True
    )
    aggregation_level = models.CharField(max_length=200, blank=True, help_text="e.g. town × year")
    identifiers_removed = models.CharField(max_length=500, blank=True)
    suppression_threshold = models.PositiveIntegerField(
        null=True, blank=True, help_text="Suppress cells at or below this count (CSDE: 5)."
    )
    exception_justification = models.TextField(blank=True)

    # How and when.
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    target_date = models.DateField("target publication date", null=True, blank=True)
    update_frequency = models.CharField(max_length=50, choices=UpdateFrequency.choices, blank=True)
    update_process = models.TextField(blank=True, help_text="Who updates it, and how.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    EVALUATION_FIELDS = [name for name, _ in EVALUATION]
    CRITERIA_FIELDS = [name for name, _ in CRITERIA]

    class Meta:
        ordering = ["dataset__title"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "dataset"], name="dataset_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} ({self.get_intent_display()})"

    @property
    def publishes(self) -> bool:
        return self.intent in PUBLISHING_INTENTS

    @property
    def owner_name(self) -> str:
        if self.owner is None:
            return ""
        return self.owner.get_full_name() or self.owner.username

    @property
    def failed_conditions(self) -> list[str]:
        return [label for name, label in EVALUATION if not getattr(self, name)]

    @property
    def criteria_met(self) -> int:
        return sum(bool(getattr(self, name)) for name in self.CRITERIA_FIELDS)

    def computed_priority(self) -> str:
        """4–5 criteria met → high, 2–3 → medium, 0–1 → low."""
        met = self.criteria_met
        return Priority.HIGH if met >= 4 else Priority.MEDIUM if met >= 2 else Priority.LOW

    def effective_priority(self) -> str:
        return self.priority_override or self.computed_priority()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self._check_intent(errors)
        self._check_privacy(errors)
        if self.priority_override and not self.priority_override_reason.strip():
            errors["priority_override_reason"] = "Say why the computed priority is overridden."
        if errors:
            raise ValidationError(errors)

    def _check_intent(self, errors: dict[str, str]) -> None:
        if self.intent == Intent.NOT_PUBLISHABLE and not self.not_publishable_reason.strip():
            errors["not_publishable_reason"] = "Say why the dataset cannot be published."
        if not self.publishes:
            return
        if self.failed_conditions and not self.evaluation_justification.strip():
            errors["evaluation_justification"] = (
                "An item that fails an evaluation condition can be planned for publication only "
                "with a written justification."
            )
        if not self.method:
            errors["method"] = "Choose how the dataset will be published."

    def _check_privacy(self, errors: dict[str, str]) -> None:
        if not (self.publishes and self.dataset_id and self.dataset.has_privacy_flags):
            return
        detail = {
            PrivacyTreatment.AGGREGATE: ("aggregation_level", "Give the level of aggregation."),
            PrivacyTreatment.REMOVE_IDENTIFIERS: (
                "identifiers_removed",
                "List the identifiers removed.",
            ),
            PrivacyTreatment.SUPPRESS_SMALL_CELLS: (
                "suppression_threshold",
                "Give the suppression threshold.",
            ),
            PrivacyTreatment.EXCEPTION: (
                "exception_justification",
                "Justify publishing the data as it is.",
            ),
        }
        if not self.privacy_treatment:
            errors["privacy_treatment"] = (
                "The dataset has privacy flags: choose a privacy treatment."
            )
            return
        name, message = detail[self.privacy_treatment]
        if getattr(self, name) in (None, ""):
            errors[name] = message


class PlanVersion(models.Model):
    """One submission: the plan as submitted, and the reviewer's decision on it."""

    plan = models.ForeignKey(AccessPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_version_number_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan}, version {self.number}"


class PlanComment(models.Model):
    """A reviewer's comment on a plan version, or on one of its items."""

    plan = models.ForeignKey(AccessPlan, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    item_title = models.CharField(max_length=255, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.plan}"


class PlanRecommendation(models.Model):
    """A DAPA analyst's comment on a submitted version, with what they recommend to the CDO.
    Program staff read it on the review page; the agency does not (the CDO's comments are
    what the agency reads)."""

    plan = models.ForeignKey(AccessPlan, on_delete=models.CASCADE, related_name="recommendations")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="recommendations"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommendation = models.CharField(
        max_length=20, choices=Recommendation.choices, blank=True, help_text="Blank: a comment."
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Recommendation by {self.author} on {self.version}"
