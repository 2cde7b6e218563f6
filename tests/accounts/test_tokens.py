"""API tokens: shown once, stored hashed, accepted as their owner, refused once revoked/expired."""

import datetime
import hashlib

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import token_create, token_revoke


def _api(value: str, scheme: str = "Token") -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"{scheme} {value}")
    return api


def test_creation_shows_the_token_once_and_stores_only_its_hash(client, ado_a):
    client.force_login(ado_a)
    response = client.post("/accounts/tokens/new/", {"name": "Nightly sync", "expires": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    value = response.context["value"]
    assert value.startswith("ctodp_")
    assert value in response.content.decode()
    token = ApiToken.objects.get(user=ado_a)
    assert token.key_digest == hashlib.sha256(value.encode()).hexdigest()
    assert value not in {token.name, token.prefix, token.key_digest}
    assert token.prefix == value[:12]
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    page = client.get("/accounts/tokens/").content.decode()
    assert "Nightly sync" in page
    assert token.prefix in page
    assert value not in page


def test_a_token_needs_a_name(client, ado_a):
    client.force_login(ado_a)
    response = client.post("/accounts/tokens/new/", {"name": "", "expires": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "bearer"])
def test_a_token_acts_as_its_owner_with_the_owners_permissions(ado_a, agency_b, scheme):
    _, value = token_create(user=ado_a, name="sync")
    api = _api(value, scheme)
    assert [row["slug"] for row in api.get("/api/v1/agencies/").json()["results"]] == ["alpha"]
    assert api.get("/api/v1/agencies/beta/").status_code == 404  # agency isolation holds
    assert api.get("/api/v1/dashboard/").status_code == 403  # staff only


def test_last_used_is_recorded_at_most_once_a_minute(ado_a, django_assert_num_queries):
    token, value = token_create(user=ado_a, name="sync")
    api = _api(value)
    start = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        api.get("/api/v1/agencies/alpha/")
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        api.get("/api/v1/agencies/alpha/")
    token.refresh_from_db()
    assert token.last_used_at == start


def test_revoked_expired_unknown_and_inactive_owner_tokens_are_refused(ado_a, publisher_a):
    revoked, revoked_value = token_create(user=ado_a, name="old")
    token_revoke(token=revoked, acting_user=ado_a)
    past = timezone.now() - datetime.timedelta(seconds=1)
    _, expired_value = token_create(user=ado_a, name="expired", expires_at=past)
    _, inactive_value = token_create(user=publisher_a, name="left")
    publisher_a.is_active = False
    publisher_a.save()
    for value in (revoked_value, expired_value, inactive_value, "ctodp_not-a-token"):
        response = _api(value).get("/api/v1/agencies/")
        assert response.status_code == 401, value
        assert response["WWW-Authenticate"] == "Token"


def test_a_malformed_header_is_refused_with_a_message(db):
    response = APIClient().get("/api/v1/agencies/", HTTP_AUTHORIZATION="Token two parts")
    assert response.status_code == 401
    assert "Token <value>" in response.json()["detail"]


def test_owner_revokes_their_token(client, ado_a):
    token, value = token_create(user=ado_a, name="sync")
    client.force_login(ado_a)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get("/accounts/tokens/").content.decode()
    assert _api(value).get("/api/v1/agencies/").status_code == 401


def test_another_users_token_cannot_be_revoked(client, ado_a, ado_b, cdo):
    token, _ = token_create(user=ado_a, name="Alice's feed")
    for intruder in (ado_b, cdo):
        client.force_login(intruder)
        assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
        assert "Alice&#x27;s feed" not in client.get("/accounts/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_is_post_only(client, ado_a):
    token, _ = token_create(user=ado_a, name="sync")
    client.force_login(ado_a)
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405


def test_portal_admin_revokes_in_the_admin_and_never_sees_the_value(client, portal_admin, ado_a):
    token, value = token_create(user=ado_a, name="sync")
    client.force_login(portal_admin)
    page = client.get("/admin/accounts/apitoken/").content.decode()
    assert "sync" in page
    assert value not in page
    assert (
        token.key_digest
        not in client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    )
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_agency_users_cannot_reach_the_token_admin(client, ado_a):
    token_create(user=ado_a, name="sync")
    client.force_login(ado_a)
    assert client.get("/admin/accounts/apitoken/").status_code in {302, 403}


@time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_the_list_page_shows_status(client, ado_a):
    token_create(user=ado_a, name="fresh")
    token_create(user=ado_a, name="done", expires_at=timezone.now())
    client.force_login(ado_a)
    page = client.get("/accounts/tokens/").content.decode()
    assert "Active" in page
    assert "Expired" in page
