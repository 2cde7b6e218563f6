"""API tokens (the plain token exists only in create's return value) and second factors."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.models import SHOWN_LENGTH, TOKEN_PREFIX, ApiToken, digest


def token_create(
    *, user: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored record and the plain value, to be shown once."""
    value = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=value[:SHOWN_LENGTH],
        key_digest=digest(value),
        expires_at=expires_at,
    )
    return token, value


def token_revoke(*, token: ApiToken, acting_user: User) -> ApiToken:
    """Revoke for good (a revoked token is never accepted again); revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = acting_user  # the owner, or a portal administrator (ADR 0016)
        token._change_reason = "Revoked"
        token.save(update_fields=["revoked_at"])
    return token


# --- Second factor (docs/adr/0014-single-sign-on-and-second-factor.md) ----------------------

TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def totp_key_new() -> str:
    """A fresh TOTP secret (hex, as django-otp stores it), kept in the session until confirmed."""
    return random_hex(20)


def totp_config_url(*, user: User, key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key).config_url


def totp_device_confirm(*, user: User, key: str, code: str) -> TOTPDevice | None:
    """Save `key` as the user's authenticator when `code` proves the app holds it; the device it
    replaces (if any) is deleted. None when the code does not match."""
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not code.strip().isdigit() or not totp.verify(int(code), device.tolerance):
        return None
    device.last_t = totp.t()  # this code cannot be used again to sign in
    device.drift = totp.drift
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.save()
    return device


def backup_codes_replace(*, user: User, count: int = 10) -> list[str]:
    """New single-use backup codes (the old ones stop working); the plain codes exist only in
    this return value and in the page that shows them once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(count)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def second_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts `code`: six digits go to the authenticator, anything else to the
    backup codes. django-otp throttles each device (every failure doubles the wait before the
    next try) and locks the row while it checks, so a code cannot be used twice at once."""
    code = code.strip().replace(" ", "").lower()
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    device = model.objects.devices_for_user(user, confirmed=True).first()
    if not code or device is None:
        return None
    return verify_token(user, device.persistent_id, code)
