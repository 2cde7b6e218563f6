"""What the program itself records: data requests an agency received (ADO duty 4), and the
reminders sent to each person (with their opt-outs). See docs/adr/0006-program-app.md."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from inventories.models import Dataset


class RequesterType(models.TextChoices):
    PUBLIC = "public", "Member of the public"
    MEDIA = "media", "News media"
    BUSINESS = "business", "Business"
    RESEARCHER = "researcher", "Researcher or academic"
    NONPROFIT = "nonprofit", "Nonprofit"
    GOVERNMENT = "government", "Government agency"
    OTHER = "other", "Other"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    FULFILLED = "fulfilled", "Fulfilled"
    PARTIAL = "partial", "Partly fulfilled"
    DENIED = "denied", "Denied"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Channel(models.TextChoices):
    LOGGED = "logged", "Logged by the agency"
    PUBLIC_FORM = "public_form", "Public form on the catalog"


class Topic(models.TextChoices):
    REQUEST = "request", "Request for data"
    PROBLEM = "problem", "Problem with a dataset"


class DataRequestQuerySet(models.QuerySet):
    def open(self) -> DataRequestQuerySet:
        return self.filter(status=RequestStatus.OPEN)

    def overdue(self, today: datetime.date | None = None) -> DataRequestQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def answered(self) -> DataRequestQuerySet:
        return self.filter(responded_on__isnull=False)


class DataRequest(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="data_requests")
    received_on = models.DateField(default=timezone.localdate)
    requester_type = models.CharField(max_length=20, choices=RequesterType.choices)
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="data_requests"
    )
    summary = models.CharField(max_length=500, help_text="What was asked for.")
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    responded_on = models.DateField(null=True, blank=True)
    # The public intake (ADO duties 3 and 4, ADR 0027): who wrote in, and what they may see.
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.LOGGED)
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.REQUEST)
    details = models.TextField(blank=True, help_text="The requester's own words, in full.")
    requester_name = models.CharField(max_length=200, blank=True)
    requester_email = models.EmailField(blank=True)
    # SHA-256 of the private status link's token; the token itself is only in the receipt.
    status_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    public_reply = models.TextField(
        blank=True, help_text="Shown to the requester on their status page."
    )
    internal_note = models.TextField(blank=True, help_text="For the agency only; never shown.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()  # the log is evidence of responsiveness: who changed what
    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("received_on")),
                name="request_due_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(responded_on__isnull=True)
                | models.Q(responded_on__gte=models.F("received_on")),
                name="request_response_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} — request of {self.received_on}: {self.summary[:40]}"

    @property
    def response_days(self) -> int | None:
        if self.responded_on is None:
            return None
        return (self.responded_on - self.received_on).days

    @property
    def is_overdue(self) -> bool:
        return self.status == RequestStatus.OPEN and timezone.localdate() > self.due_date


class ReminderKind(models.TextChoices):
    INVENTORY_DUE_30 = "inventory_due_30", "Inventory due in 30 days"
    INVENTORY_DUE_7 = "inventory_due_7", "Inventory due in 7 days"
    INVENTORY_OVERDUE = "inventory_overdue", "Inventory overdue"
    PLAN_CHANGES = "plan_changes", "Access plan changes requested"
    PUBLICATION_FAILED = "publication_failed", "Publication run failed"
    DATASET_STALE = "dataset_stale", "Dataset going stale"
    RETIREMENT_DEADLINE = "retirement_deadline", "Retirement deadline"
    REQUEST_OVERDUE = "request_overdue", "Data requests overdue"
    PUBLICATION_READY = "publication_ready", "Publication ready to be made public"


# Early notices and staleness warnings may be turned off; overdue filings, returned plans,
# failures and retirement deadlines need action and are always sent.
OPTIONAL_KINDS = frozenset(
    {ReminderKind.INVENTORY_DUE_30, ReminderKind.INVENTORY_DUE_7, ReminderKind.DATASET_STALE}
)


class ReminderSent(models.Model):
    """One e-mail sent for one condition to one person: the row makes the send happen once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    condition = models.CharField(max_length=200, help_text="What the reminder is about, as a key.")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "condition"], name="reminder_once_per_condition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.user}"


class ReminderOptOut(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs"
    )
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=sorted(k.value for k in OPTIONAL_KINDS)),
                name="opt_out_only_optional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} opts out of {self.kind}"
