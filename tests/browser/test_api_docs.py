"""Swagger UI at /api/docs/: served from our own origin, under the strict CSP, signed in only."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

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
