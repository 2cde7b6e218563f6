"""API tokens for integrations: only a SHA-256 digest is stored (docs/adr/0012-api-tokens.md)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history import register
from simple_history.models import HistoricalRecords

# Every token starts with this, so secret scanners and people recognise a leaked one.
TOKEN_PREFIX = "ctodp_"  # noqa: S105 (a label, not a secret)
SHOWN_LENGTH = len(TOKEN_PREFIX) + 6  # "ctodp_Ab3xYz": enough to tell tokens apart in a list


def digest(value: str) -> str:
    """The stored form of a token. Tokens carry 256 random bits, so a fast hash is enough:
    a password hasher's slowness protects guessable secrets, not random ones."""
    return hashlib.sha256(value.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None) -> ApiTokenQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for (the integration).")
    prefix = models.CharField(max_length=SHOWN_LENGTH, help_text="The token's first characters.")
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    # Who created and who revoked each token (ADR 0016); the last use is not governance.
    history = HistoricalRecords(
        excluded_fields=["last_used_at"], table_name="accounts_historicalapitoken"
    )
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        db_table = "api_tokens_apitoken"  # the table of the former api_tokens app (ADR 0013)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        expired = self.expires_at is not None and self.expires_at <= now
        return self.revoked_at is None and not expired

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        return "Active" if self.is_active() else "Expired"


# --- Account history (ADR 0016) ---------------------------------------------------------------


class AccountHistory(HistoricalRecords):
    """Django's own sign-in bookkeeping (last_login, saved at every sign-in) is not a change."""

    def post_save(self, instance, created, using=None, **kwargs):
        if kwargs.get("update_fields") == frozenset({"last_login"}):
            return
        super().post_save(instance, created, using=using, **kwargs)


# Users and groups belong to django.contrib.auth; their history tables live here. Password
# hashes are never copied into history (the admin's log says when a password was changed).
register(
    User,
    app="accounts",
    records_class=AccountHistory,
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups", "user_permissions"],
)
register(Group, app="accounts", m2m_fields=["permissions"])
