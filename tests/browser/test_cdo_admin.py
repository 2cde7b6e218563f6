"""Issue #16, the CDO's admin and plan review in a real browser, as the demo people (seed_demo):
the CDO's workspace on the admin home at every width, a plan opened from the queue and
decided, the admin's request-changes page with its way back; a DAPA analyst comments and
recommends but cannot decide; agency people (ado.ocme, pub.ocme) never reach either."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from access_plans.models import AccessPlan
from agencies.models import StaffGroup
from program.management.commands.seed_demo import DEMO_PASSWORD
from tests.browser.conftest import axe_violations, sign_in
from tests.browser.test_header import WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Wider than the viewport, or cut off at its right edge: the page scrolls sideways.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('#workspace a, #workspace h2, #workspace h3')]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .map((el) => el.textContent.trim());
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.fixture
def demo(db):
    # A transactional test's flush removes the staff groups the data migration made.
    for group in StaffGroup:
        Group.objects.get_or_create(name=group.value)
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def admin_page(page):
    # The Django admin's pages link no favicon, so Chromium asks for /favicon.ico (a 404).
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return page


def _sign_in(page, username: str) -> None:
    page.context.clear_cookies()  # whoever was signed in is signed out
    sign_in(page, username, DEMO_PASSWORD)


def _check_workspace_at_every_width(page) -> None:
    failures = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/admin/")
        layout = page.evaluate(OVERFLOW_JS)
        if layout["scroll"] > layout["width"] or layout["wide"]:
            failures.append(f"{width}px: sideways scroll {layout}")
        for name in ["Access plans submitted", "Inventories submitted", "Access plans"]:
            target = page.get_by_role("heading", name=name).or_(page.get_by_role("link", name=name))
            if not target.first.is_visible():
                failures.append(f"{width}px: {name!r} is not visible")
        if not page.locator("#queue-plans li a").first.is_visible():
            failures.append(f"{width}px: the oldest plan's link is not visible")
        violations = axe_violations(page)
        if violations:
            failures.append(f"{width}px: axe {violations}")
    assert not failures, "\n".join(failures)


def test_cdo_decides_a_plan_from_the_workspace(admin_page, demo):
    page = admin_page
    waiting = AccessPlan.objects.awaiting_review().count()
    _sign_in(page, "cdo")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Administration"
    ).click()
    page.wait_for_url("**/admin/")
    queue = page.locator("#queue-plans")
    assert f"({waiting})" in queue.get_by_role("heading").inner_text()
    assert page.locator("#content-main .app-access_plans").is_visible()  # the apps, below
    _check_workspace_at_every_width(page)

    # The oldest plan, opened from the queue, approved on its review page.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/admin/")
    queue.locator("li a").first.click()
    page.wait_for_url("**/review/")
    assert axe_violations(page) == []
    page.locator("label", has_text="Approve the plan").click()
    page.get_by_role("button", name="Record the decision").click()
    assert "Approved" in page.locator("#plan-status").inner_text()
    page.goto("/admin/")
    assert f"({waiting - 1})" in page.locator("#queue-plans h3").inner_text()

    # The next one is returned in the admin: the request-changes page is the admin's, and
    # Cancel leads back to the list without a change.
    page.locator("#queue-plans").get_by_role("link", name="All").click()
    page.wait_for_url("**/admin/access_plans/accessplan/**")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("request_changes")
    page.get_by_role("button", name="Go").click()
    assert page.locator("#site-name").inner_text() == "ctodp administration"
    assert page.locator(".breadcrumbs").get_by_role("link", name="Access plans").count() == 1
    assert axe_violations(page) == []
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url("**/admin/access_plans/accessplan/?status__in=*")
    assert AccessPlan.objects.awaiting_review().count() == waiting - 1
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("request_changes")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Comment to the agencies").fill("Add the update process for each item.")
    page.get_by_role("button", name="Request changes").click()
    assert "changes requested" in page.locator(".messagelist").inner_text()


def test_dapa_recommends_and_the_cdo_reads_it(admin_page, demo):
    page = admin_page
    _sign_in(page, "dapa")
    page.goto("/admin/")
    assert "the Chief Data Officer decides" in page.locator("#workspace").inner_text()
    _check_workspace_at_every_width(page)
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto("/admin/")
    page.locator("#queue-plans li a").first.click()
    page.wait_for_url("**/review/")
    review_url = page.url
    assert page.get_by_role("button", name="Record the decision").count() == 0
    assert page.get_by_role("button", name="Take into review").count() == 0
    page.locator("label", has_text="Request changes").click()
    page.get_by_label("Comment for the Chief Data Officer").fill("Two items lack a target date.")
    page.get_by_role("button", name="Record my comment").click()
    notes = page.locator("#recommendations").inner_text()
    assert "recommends: request changes" in notes.lower()  # a USWDS tag, in capitals
    assert "Two items lack a target date." in notes
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert axe_violations(page) == [], f"{width}px"
    # The decision is refused even if DAPA posts it by hand.
    answer = page.request.post(review_url, form={"decision": "approve"})
    assert answer.status == 403

    _sign_in(page, "cdo")
    page.goto(review_url)
    assert "Two items lack a target date." in page.locator("#recommendations").inner_text()
    assert page.get_by_role("button", name="Record the decision").is_visible()
    page.goto("/admin/")
    assert "DAPA: Request changes" in page.locator("#queue-plans").inner_text()


@pytest.mark.parametrize("username", ["ado.ocme", "pub.ocme"])
def test_agency_people_reach_neither_the_admin_nor_the_review(admin_page, demo, username):
    page = admin_page
    _sign_in(page, username)
    page.goto("/admin/")
    assert "/admin/login/" in page.url
    assert page.locator("#workspace").count() == 0
    plan = AccessPlan.objects.filter(agency__slug="ocme").first()
    response = page.goto(f"/plans/ocme/{plan.year}/review/")
    assert response.status == 403
    assert axe_violations(page) == []
