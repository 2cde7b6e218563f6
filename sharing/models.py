"""Data sharing agreements (ADR 0026): who shares which inventory datasets with whom, why, under
what law and security terms, for how long; and the expiry reminders sent for them.

The 2015 legislation the initiative report cites "requires all agencies to enter into data sharing
agreements with the State's Office of Policy and Management" (OPM): `with_opm` marks those.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from inventories.models import Dataset

DOCUMENT_EXTENSIONS = ["pdf", "docx", "doc", "odt"]


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_FORCE = "in_force", "In force"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class AgreementQuerySet(models.QuerySet):
    def in_force(self, today: datetime.date | None = None) -> AgreementQuerySet:
        """Signed, started and not past their end date (an end date passed counts as expired,
        whether or not the daily task has marked it yet)."""
        today = today or timezone.localdate()
        return self.filter(status=AgreementStatus.IN_FORCE, starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )

    def lapsed(self, today: datetime.date | None = None) -> AgreementQuerySet:
        """Expired: marked so, or in force on paper with its end date passed."""
        today = today or timezone.localdate()
        return self.filter(
            Q(status=AgreementStatus.EXPIRED)
            | Q(status=AgreementStatus.IN_FORCE, ends_on__lt=today)
        )

    def for_agency(self, agency: Agency) -> AgreementQuerySet:
        return self.filter(parties=agency)


# An agreement's terms as people write them: the page's form and the API show the same fields.
TERMS = [
    "title",
    "parties",
    "with_opm",
    "outside_parties",
    "datasets",
    "contributors",
    "purpose",
    "legal_basis",
    "security_terms",
    "starts_on",
    "ends_on",
    "renewal_terms",
    "status",
]


class Agreement(models.Model):
    title = models.CharField(max_length=200)
    parties = models.ManyToManyField(
        Agency, related_name="sharing_agreements", help_text="Agencies that signed it."
    )
    with_opm = models.BooleanField(
        "OPM is a party",
        default=False,
        help_text="The agreement with the Office of Policy and Management that the law requires.",
    )
    outside_parties = models.TextField(
        blank=True, help_text="Bodies outside state agencies that signed it, one per line."
    )
    datasets = models.ManyToManyField(
        Dataset, blank=True, related_name="sharing_agreements", help_text="From the inventories."
    )
    contributors = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="contributed_agreements",
        help_text="Agencies that contribute records to the shared datasets (besides their owner).",
    )
    purpose = models.TextField()
    legal_basis = models.TextField(help_text="The statutes or rules that allow the sharing.")
    security_terms = models.TextField(help_text="Storage, access, encryption, disposal, breach.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty when open-ended.")
    renewal_terms = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    document = models.FileField(
        "signed document",
        upload_to="sharing/agreements/%Y/",
        blank=True,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[parties, datasets, contributors])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def effective_status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.status == AgreementStatus.IN_FORCE and self.ends_on and self.ends_on < today:
            return AgreementStatus.EXPIRED
        return self.status

    @property
    def outside_party_list(self) -> list[str]:
        return [line.strip() for line in self.outside_parties.splitlines() if line.strip()]


class ExpiryReminder(models.Model):
    """One reminder for one agreement, lead time and end date: the row makes it go out once
    (a renewal moves the end date, and the reminders start again)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    ends_on = models.DateField()
    recipients = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "days_before", "ends_on"], name="expiry_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} — {self.days_before} days before {self.ends_on}"
