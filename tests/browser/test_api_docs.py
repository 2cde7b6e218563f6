"""Swagger UI at /api/docs/: served from our own origin, under the strict CSP, signed in only."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_and_runs_an_operation_without_csp_errors(page, dapa, agency_a):
    page.goto("/api/docs/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/api/docs/"))
    sign_in(page, "dapa")
    page.goto("/api/docs/")
    operation = page.locator("#operations-agencies-agencies_list")
    expect(operation).to_be_visible()
    assert page.locator(".opblock").count() > 20
    operation.locator(".opblock-summary-control").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text("Department of Alpha")
    # The page's fixture fails the test on any console error (CSP violations included).


def test_token_page_creates_shows_once_and_revokes(page, ado_a):
    sign_in(page, "alice")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Nightly sync")
    page.get_by_label("Expires").select_option("30")
    page.get_by_role("button", name="Create token").click()
    value = page.locator("#token-value").input_value()
    assert value.startswith("ctodp_")
    assert axe_violations(page) == []
    page.goto("/accounts/tokens/")
    expect(page.locator("#tokens-table")).to_contain_text("Nightly sync")
    assert value not in page.content()
    page.get_by_role("button", name="Revoke Nightly sync").click()
    expect(page.locator("#tokens-table")).to_contain_text("Revoked")
