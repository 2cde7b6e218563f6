"""Accounts in the admin (ADR 0016): portal administrators manage agency users; only superusers
change superusers and program staff or grant staff groups; every change is in the history."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.forms import MultiWidget
from django.urls import reverse

from accounts.services import token_create
from agencies.models import StaffGroup
from program import services as program_services
from program.models import DataRequest


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser("root", "root@ct.example", "pw-for-tests")


def _change_data(client, user: User, **changes) -> dict:
    """The admin's change form for `user` as the page fills it, with `changes` applied."""
    form = client.get(reverse("admin:auth_user_change", args=[user.pk])).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled or value is None or value is False:
            continue
        if isinstance(field.widget, MultiWidget):
            for number, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{number}"] = str(part)
        else:
            data[name] = value
    data.update(changes)
    return data


def test_a_portal_admin_cannot_change_a_superusers_password(client, portal_admin, root):
    client.force_login(portal_admin)
    url = reverse("admin:auth_user_password_change", args=[root.pk])

    answer = client.post(url, {"password1": "Taken-0ver-pw!", "password2": "Taken-0ver-pw!"})

    assert answer.status_code == 403
    root.refresh_from_db()
    assert root.check_password("pw-for-tests")


@pytest.mark.parametrize("target", ["root", "cdo", "portal_admin"])
def test_a_portal_admin_cannot_change_superusers_or_program_staff(
    client, request, portal_admin, target
):
    account = request.getfixturevalue(target)
    client.force_login(portal_admin)

    answer = client.post(reverse("admin:auth_user_change", args=[account.pk]), {"email": "x@y.z"})

    assert answer.status_code == 403


def test_a_portal_admin_cannot_grant_a_staff_group(client, portal_admin, ado_a):
    cdo_group, _ = Group.objects.get_or_create(name=StaffGroup.CDO.value)
    client.force_login(portal_admin)
    url = reverse("admin:auth_user_change", args=[ado_a.pk])

    data = _change_data(client, ado_a, email="alice@ct.example", groups=[cdo_group.pk])
    answer = client.post(url, {**data, "is_superuser": "on", "is_staff": "on"})

    assert answer.status_code == 302
    ado_a.refresh_from_db()
    assert ado_a.email == "alice@ct.example"  # an agency user is theirs to manage
    assert (ado_a.is_superuser, ado_a.is_staff, list(ado_a.groups.all())) == (False, False, [])


def test_a_portal_admin_change_to_an_agency_user_is_audited(client, portal_admin, ado_a):
    client.force_login(portal_admin)
    url = reverse("admin:auth_user_change", args=[ado_a.pk])

    client.post(url, _change_data(client, ado_a, email="alice@agency.example"))

    latest = ado_a.history.latest()
    assert (latest.history_user, latest.email) == (portal_admin, "alice@agency.example")
    assert "Email" in latest.history_change_reason


def test_a_superuser_grants_a_staff_group_and_the_history_says_who(client, root, outsider):
    cdo_group, _ = Group.objects.get_or_create(name=StaffGroup.CDO.value)
    client.force_login(root)
    url = reverse("admin:auth_user_change", args=[outsider.pk])

    answer = client.post(url, _change_data(client, outsider, groups=[cdo_group.pk]))

    assert answer.status_code == 302
    assert list(outsider.groups.all()) == [cdo_group]
    latest = outsider.history.latest()
    assert latest.history_user == root
    assert [g.group_id for g in latest.groups.all()] == [cdo_group.pk]


def test_a_password_change_is_audited_without_the_hash(client, root, outsider):
    client.force_login(root)
    url = reverse("admin:auth_user_password_change", args=[outsider.pk])

    client.post(url, {"password1": "N3w-pass-phrase!", "password2": "N3w-pass-phrase!"})

    latest = outsider.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (root, "Changed password.")
    assert not hasattr(latest, "password")


def test_signing_in_writes_no_account_history(client, outsider):
    before = outsider.history.count()

    client.post(reverse("login"), {"username": "oscar", "password": "pw-for-tests"})

    assert outsider.history.count() == before


def test_group_changes_are_audited(client, root):
    client.force_login(root)

    client.post(reverse("admin:auth_group_add"), {"name": "Auditors"})

    assert Group.history.get().history_user == root


def test_a_token_revocation_is_audited_with_who_revoked_it(client, portal_admin, ado_a):
    token, _ = token_create(user=ado_a, name="sync")
    client.force_login(portal_admin)

    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})

    latest = token.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (portal_admin, "Revoked")
    assert latest.revoked_at is not None


def test_a_revocation_cannot_be_undone_in_the_admin(client, portal_admin, ado_a):
    token, _ = token_create(user=ado_a, name="sync")
    client.force_login(portal_admin)
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})

    client.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"revoked_at": ""})

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_data_request_changes_are_audited(ado_a, publisher_a, agency_a):
    fields = {
        "received_on": datetime.date(2026, 4, 1),
        "requester_type": "media",
        "summary": "Bridge ratings by town",
        "due_date": datetime.date(2026, 4, 15),
    }
    entry = program_services.data_request_create(agency=agency_a, data=fields, acting_user=ado_a)

    program_services.data_request_update(
        request=entry, data={"status": "withdrawn"}, acting_user=publisher_a
    )

    history = DataRequest.history.filter(id=entry.pk).order_by("history_id")
    assert [(h.history_user, h.status) for h in history] == [
        (ado_a, "open"),
        (publisher_a, "withdrawn"),
    ]


def test_an_agency_user_account_is_still_the_portal_admins_to_create(client, portal_admin):
    client.force_login(portal_admin)
    data = {"username": "newbie", "password1": "A-long-pass-9!", "password2": "A-long-pass-9!"}

    answer = client.post(reverse("admin:auth_user_add"), {**data, "usable_password": "true"})

    assert answer.status_code == 302
    assert User.objects.get(username="newbie").history.latest().history_user == portal_admin
