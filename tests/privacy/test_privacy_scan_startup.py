"""`manage.py privacy_scan` is a one-second command: setting Django up must not load what only
other paths need (scipy for the suppression audit, openpyxl for XLSX, DRF's views and filters
through the page hooks, the single sign-on backend through the admin site, the readiness
checks' redis and DNS clients through an installed app), and the command
skips the system checks (issue #18, ADR 0025)."""

import os
import subprocess
import sys
from pathlib import Path

from privacy.management.commands.privacy_scan import Command

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "scipy",
    "openpyxl",
    "pygments",
    "rest_framework.fields",
    # the single sign-on backend, which the admin site reached through the second factor
    "mozilla_django_oidc",
    "jwt",
    # django-health-check's checks and their clients, which an installed app would import
    "health_check",
    "redis",
    "dns",
)


def test_django_setup_does_not_import_modules_a_screen_never_uses():
    probe = (
        "import sys, django; django.setup(); "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ctodp.settings.test"}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_privacy_scan_skips_the_system_checks():
    assert Command.requires_system_checks == []
