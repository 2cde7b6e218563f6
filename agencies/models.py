"""Agencies, the people who act for them, and the program's staff roles."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class StaffGroup(models.TextChoices):
    """Program-wide roles, kept as auth groups (created by a data migration)."""

    CDO = "Chief Data Officer"
    DAPA = "DAPA analyst"
    PORTAL_ADMIN = "Portal administrator"


class Branch(models.TextChoices):
    EXECUTIVE = "executive", "Executive branch"
    LEGISLATIVE = "legislative", "Legislative branch"
    JUDICIAL = "judicial", "Judicial branch"
    CONSTITUTIONAL = "constitutional", "Constitutional officer"
    QUASI_PUBLIC = "quasi_public", "Quasi-public agency"
    MUNICIPAL = "municipal", "Municipality"


class Participation(models.TextChoices):
    REQUIRED = "required", "Required (CGS §4-67p)"
    VOLUNTARY = "voluntary", "Voluntary, by written notice to OPM"


class AgencyQuerySet(models.QuerySet):
    def active(self) -> AgencyQuerySet:
        return self.filter(is_active=True)

    def without_ado(self) -> AgencyQuerySet:
        return self.exclude(
            memberships__role=Role.ADO,
            memberships__end_date__isnull=True,
            memberships__user__is_active=True,
        )

    def with_ado(self) -> AgencyQuerySet:
        """Prefetch each agency's current ADO membership (as `current_ados`), in one query."""
        current = Membership.objects.current().filter(role=Role.ADO).select_related("user")
        return self.prefetch_related(
            models.Prefetch("memberships", queryset=current, to_attr="current_ados")
        )


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=20, blank=True)
    slug = models.SlugField(max_length=60, unique=True)
    branch = models.CharField(max_length=20, choices=Branch.choices, default=Branch.EXECUTIVE)
    participation = models.CharField(
        max_length=20, choices=Participation.choices, default=Participation.REQUIRED
    )
    notice_date = models.DateField(
        null=True,
        blank=True,
        help_text="For voluntary participants: the date of the written notice to OPM.",
    )
    website = models.URLField(blank=True)
    attribution = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name shown as the data provider on the portal (defaults to the name).",
    )
    contact_email = models.EmailField(
        blank=True, help_text="Shared mailbox for data access inquiries, if the agency has one."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=Q(participation="voluntary") | Q(notice_date__isnull=True),
                name="notice_date_only_for_voluntary",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", args=[self.slug])

    @property
    def portal_attribution(self) -> str:
        return self.attribution or self.name

    def current_ado(self) -> Membership | None:
        """The active ADO designation; uses the `with_ado()` prefetch when present."""
        if hasattr(self, "current_ados"):
            return self.current_ados[0] if self.current_ados else None
        return self.memberships.current().filter(role=Role.ADO).select_related("user").first()


class Role(models.TextChoices):
    ADO = "ado", "Agency Data Officer"
    PUBLISHER = "publisher", "Data publisher"
    VIEWER = "viewer", "Viewer"


class MembershipQuerySet(models.QuerySet):
    def current(self) -> MembershipQuerySet:
        """Memberships in force: not ended. (A designation takes effect when it is recorded.)"""
        return self.filter(end_date__isnull=True, user__is_active=True)


class Membership(models.Model):
    """A person acting for an agency in one role. Ending a membership keeps the row (history)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    title = models.CharField(max_length=200, blank=True, help_text="Job title, e.g. 'IT Manager'.")
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(
        max_length=500, blank=True, help_text="Why this designation was made or ended."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "role", "user__last_name", "user__username"]
        constraints = [
            # Exactly one active ADO per agency: a second open ADO row is refused by the database.
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(role="ado", end_date__isnull=True),
                name="one_active_ado_per_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(end_date__isnull=True),
                name="one_open_membership_per_role",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.agency}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    def end(self, *, reason: str, on: datetime.date | None = None) -> None:
        self.end_date = on or timezone.localdate()
        self.reason = reason


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the change to be saved"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent (mail failed)"


class Notice(models.Model):
    """One e-mail about one workflow step to one person (agencies/notices.py, ADR 0019).

    Written in the step's transaction (so a rolled-back step leaves none), sent after it commits;
    a failed send is recorded here, never raised into the step."""

    kind = models.CharField(max_length=60)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    email = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    key = models.CharField(
        max_length=200, blank=True, help_text="Set for notices sent once per key and person."
    )
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.QUEUED
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="notice_kind_created"),
            models.Index(fields=["agency", "-created_at"], name="notice_agency_created"),
            models.Index(fields=["recipient", "key"], name="notice_recipient_key"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.email}"
