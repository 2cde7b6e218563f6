"""Sentry is optional (ADR 0024): loading the settings without SENTRY_DSN starts nothing; with
one, sentry-sdk has an active client that sends no personal data. Each case loads the settings
in a fresh process (sentry-sdk patches Django and Celery for good once started). No network:
the SDK sends only when something is captured, and nothing is."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django, sentry_sdk
django.setup()
client = sentry_sdk.get_client()
print(json.dumps({
    "active": client.is_active(),
    "dsn": client.dsn,
    "pii": client.options.get("send_default_pii") if client.is_active() else None,
    "environment": client.options.get("environment") if client.is_active() else None,
}))
"""


def settings_loaded_with(**environment: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    env.update(DJANGO_SETTINGS_MODULE="ctodp.settings.test", **environment)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_a_dsn_sentry_is_not_started():
    assert settings_loaded_with() == {
        "active": False,
        "dsn": None,
        "pii": None,
        "environment": None,
    }


def test_with_a_dsn_sentry_starts_without_personal_data():
    dsn = "https://public@errors.example.invalid/42"

    started = settings_loaded_with(SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="staging")

    assert started == {"active": True, "dsn": dsn, "pii": False, "environment": "staging"}
