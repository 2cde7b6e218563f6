import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ctodp.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-test-only-0123456789-abcdefghijklmnopqrstuvwxyz-",
    "DJANGO_ALLOWED_HOSTS": "data.example.gov",
    "DATABASE_URL": "sqlite:////tmp/ctodp-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SOCRATA_DOMAIN": "data.example.gov",
    "CTODP_PUBLIC_BASE_URL": "https://data.example.gov",
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    # Only what production would see: nothing from the test run's own Django environment.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and not k.startswith(("DJANGO_", "SOCRATA_", "CELERY_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "SOCRATA_DOMAIN",
        "CTODP_PUBLIC_BASE_URL",
    ],
)
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_refuses_a_public_address_that_is_not_https():
    env = {**PRODUCTION_ENV, "CTODP_PUBLIC_BASE_URL": "http://127.0.0.1:8000"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "CTODP_PUBLIC_BASE_URL must be an https:// address" in result.stderr


def test_the_documented_env_file_is_kept_out_of_the_image_and_lists_every_requirement():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored  # `cp .env.example .env; docker compose up` must not bake secrets in
    assert "!.env.example" in ignored
    example = (ROOT / ".env.example").read_text()
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "CTODP_PUBLIC_BASE_URL"):
        assert f"\n{name}=" in example, name


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_templates_have_no_inline_scripts_or_styles():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for opening in text.split("<script")[1:]:
            attributes = opening.split(">")[0]
            # A JSON-LD data block is never executed (ADR 0028); any other script has a src.
            data_block = attributes.strip() == 'type="application/ld+json"'
            assert "src=" in attributes or data_block, f"inline <script> in {template}"
        assert " style=" not in text, f"inline style attribute in {template}"


def test_csrf_is_enforced_on_session_posts(cdo, agency_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cdo)
    response = client.post(reverse("agencies:designate_ado", args=[agency_a.slug]), {})
    assert response.status_code == 403


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, cdo):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "cdo", "password": "wrong"})
    response = client.post(url, {"username": "cdo", "password": "pw-for-tests"})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


@pytest.mark.django_db
def test_correct_password_signs_in_before_the_limit(client, cdo):
    client.post(reverse("login"), {"username": "cdo", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "cdo", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_upload_limits_are_set():
    assert settings.CTODP_MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024


def test_logout_requires_post(client, cdo):
    client.force_login(cdo)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
