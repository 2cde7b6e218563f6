"""The admin as the CDO and DAPA see it (issue #16): the index lists their apps, every link and
breadcrumb answers, and the request-changes page stays inside the admin with a way back."""

import re
from collections import deque

import pytest
from django.urls import reverse

from access_plans import services

CHANGELIST = "admin:access_plans_accessplan_changelist"
STAFF_APPS = [
    "access_plans", "agencies", "auth", "inventories", "privacy", "program", "publishing", "upkeep"
]  # fmt: skip
LINK = re.compile(r'href="(/admin/[^"#?]*)"')


@pytest.fixture
def submitted_a(filled_plan_a, ado_a):
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    return filled_plan_a


def _walk(client, start: str = "/admin/", limit: int = 400) -> dict[str, int]:
    """Every admin page reachable by a link from the index (query strings dropped), with its
    status code. Sign-out is a form, not a link; `r/` links leave the admin."""
    seen: dict[str, int] = {}
    todo = deque([start])
    while todo and len(seen) < limit:
        url = todo.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code == 200:
            for link in LINK.findall(response.content.decode()):
                if not link.startswith(("/admin/r/", "/admin/logout/")) and link not in seen:
                    todo.append(link)
    return seen


@pytest.mark.parametrize("persona", ["cdo", "dapa"])
def test_the_admin_index_lists_the_staff_apps_and_every_link_answers(
    client, request, persona, submitted_a, plan_b
):
    client.force_login(request.getfixturevalue(persona))
    index = client.get(reverse("admin:index"))
    assert [app["app_label"] for app in index.context["app_list"]] == STAFF_APPS
    assert "permission to view or edit anything" not in index.content.decode()
    seen = _walk(client)
    assert {url: code for url, code in seen.items() if code != 200} == {}
    for label in STAFF_APPS:  # each app's page is the breadcrumb of its models' pages
        assert f"/admin/{label}/" in seen
    assert f"/admin/access_plans/accessplan/{submitted_a.pk}/change/" in seen
    assert "/admin/auth/group/" not in seen  # groups and tokens are the portal administrators'
    assert "/admin/accounts/" not in seen


def test_the_portal_administrator_sees_the_account_apps(client, portal_admin):
    client.force_login(portal_admin)
    labels = [app["app_label"] for app in client.get("/admin/").context["app_list"]]
    assert {"auth", "accounts", "otp_totp"} <= set(labels)
    assert client.get("/admin/auth/").status_code == 200
    assert client.get("/admin/access_plans/").status_code == 200


def test_an_app_page_without_visible_models_is_not_found(client, cdo):
    client.force_login(cdo)
    assert client.get("/admin/accounts/").status_code == 404
    assert client.get("/admin/axes/").status_code == 404


def test_request_changes_page_keeps_the_admin_branding_breadcrumbs_and_cancel(
    client, cdo, submitted_a
):
    client.force_login(cdo)
    data = {"action": "request_changes", "_selected_action": [submitted_a.pk]}
    page = client.post(reverse(CHANGELIST), data).content.decode()
    assert "ctodp administration" in page  # the site header
    assert "<title>Request changes to access plans | ctodp admin</title>" in page
    breadcrumbs = page.split('class="breadcrumbs"')[1].split("</div>")[0]
    assert 'href="/admin/access_plans/"' in breadcrumbs
    assert f'href="{reverse(CHANGELIST)}"' in breadcrumbs
    cancel = re.search(r'<a href="([^"]+)" class="button cancel-link">Cancel</a>', page)
    assert cancel is not None
    assert cancel.group(1) == reverse(CHANGELIST)
    for link in [*LINK.findall(breadcrumbs), cancel.group(1)]:
        assert client.get(link).status_code == 200
    # From a filtered list, Cancel goes back to the list as it was.
    filtered = f"{reverse(CHANGELIST)}?status__exact=submitted"
    page = client.post(filtered, data).content.decode()
    assert f'<a href="{filtered}" class="button cancel-link">Cancel</a>' in page.replace(
        "&amp;", "&"
    )


def test_return_inventories_page_keeps_the_admin_branding_and_cancel(client, cdo, inventory_a):
    client.force_login(cdo)
    changelist = reverse("admin:inventories_inventory_changelist")
    data = {"action": "return_with_comment", "_selected_action": [inventory_a.pk]}
    page = client.post(changelist, data).content.decode()
    assert "ctodp administration" in page
    assert 'href="/admin/inventories/"' in page
    assert f'<a href="{changelist}" class="button cancel-link">Cancel</a>' in page


def test_the_plan_page_shows_the_reviewers_comments(client, cdo, submitted_a):
    services.plan_request_changes(plan=submitted_a, comment="Add the county.", acting_user=cdo)
    client.force_login(cdo)
    url = reverse("admin:access_plans_accessplan_change", args=[submitted_a.pk])
    page = client.get(url).content.decode()
    assert "Plan comments" in page
    assert "Add the county." in page.split("Plan comments")[1]
