"""Who may see and change which plan, in the views, the admin and the API."""

import pytest
from django.urls import reverse

from access_plans import services
from access_plans.choices import PlanStatus

SEE = {
    "ado_a": 200,
    "publisher_a": 200,
    "viewer_a": 200,
    "cdo": 200,
    "dapa": 200,
    "portal_admin": 200,
    "ado_b": 404,
    "outsider": 404,
}


@pytest.mark.parametrize(("persona", "expected"), SEE.items())
def test_who_sees_agency_as_draft_plan(client, request, filled_plan_a, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    for name in ("detail", "print", "export_xlsx"):
        response = client.get(reverse(f"access_plans:{name}", args=["alpha", 2026]))
        assert response.status_code == expected, name
    item = filled_plan_a.items.first()
    response = client.get(reverse("access_plans:item", args=["alpha", 2026, item.pk]))
    assert response.status_code == expected


EDIT = {"ado_a": 200, "publisher_a": 200, "viewer_a": 403, "cdo": 403, "dapa": 403, "ado_b": 404}


@pytest.mark.parametrize(("persona", "expected"), EDIT.items())
def test_who_may_edit_items(client, request, filled_plan_a, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    item = filled_plan_a.items.first()
    assert client.get(reverse("access_plans:item_create", args=["alpha", 2026])).status_code == (
        expected
    )
    url = reverse("access_plans:item_edit", args=["alpha", 2026, item.pk])
    assert client.get(url).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"), {"publisher_a": 403, "viewer_a": 403, "ado_b": 404, "cdo": 403}.items()
)
def test_only_the_ado_submits(client, request, filled_plan_a, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("access_plans:submit", args=["alpha", 2026]))
    assert response.status_code == expected
    filled_plan_a.refresh_from_db()
    assert filled_plan_a.status == PlanStatus.DRAFT


@pytest.mark.parametrize(
    ("persona", "expected"), {"ado_a": 403, "dapa": 200, "ado_b": 404, "cdo": 200}.items()
)
def test_the_cdo_and_dapa_read_the_review_in_the_app(
    client, request, filled_plan_a, ado_a, persona, expected
):
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("access_plans:review", args=["alpha", 2026])).status_code == expected


def test_plan_list_shows_only_the_agencys_own_plans(client, ado_b, filled_plan_a, plan_b):
    client.force_login(ado_b)
    response = client.get(reverse("access_plans:list"))
    assert list(response.context["plans"]) == [plan_b]
    assert "Department of Alpha" not in response.content.decode()


def test_agency_b_cannot_reach_the_plan_admin(client, ado_b, ado_a, filled_plan_a):
    for user in (ado_b, ado_a):
        client.force_login(user)
        for url in (
            reverse("admin:access_plans_accessplan_changelist"),
            reverse("admin:access_plans_accessplan_change", args=[filled_plan_a.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("admin:login"))


def test_agency_b_gets_nothing_of_agency_a_from_the_api(client, ado_b, filled_plan_a, plan_b):
    client.force_login(ado_b)
    plans = client.get("/api/v1/plans/").json()["results"]
    assert [p["agency"] for p in plans] == ["beta"]
    items = client.get("/api/v1/plan-items/", {"agency": "alpha"}).json()["results"]
    assert items == []
    assert client.get(f"/api/v1/plans/{filled_plan_a.pk}/").status_code == 404


def test_agency_b_cannot_change_agency_as_items(client, ado_b, filled_plan_a):
    client.force_login(ado_b)
    item = filled_plan_a.items.first()
    response = client.post(reverse("access_plans:item_delete", args=["alpha", 2026, item.pk]))
    assert response.status_code == 404
    assert filled_plan_a.items.filter(pk=item.pk).exists()


def test_anonymous_api_is_refused(client, filled_plan_a):
    assert client.get("/api/v1/plans/").status_code in {401, 403}
