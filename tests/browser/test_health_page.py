"""/health/ read by an operator in a browser (with the operations token): the site's own page,
which the CSP lets render (the package's page styled itself inline), at 375 and 1280 px."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import axe_violations
from tests.operations.conftest import TOKEN
from tests.operations.test_health import beat_sent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture
def operator(page, settings, tmp_path):
    settings.CTODP_OPS_TOKEN = TOKEN
    settings.REDIS_URL = ""  # the folder broker of `make run`: no Redis, no ping
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.MEDIA_ROOT = tmp_path
    settings.CTODP_HEALTH_MIN_FREE_MB = 1
    page.set_extra_http_headers({"Authorization": f"Bearer {TOKEN}"})
    return page


def _rows(page) -> dict[str, str]:
    rows = page.locator("table.usa-table tbody tr")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").first.inner_text()
        for i in range(rows.count())
    }


@pytest.mark.clock(NOW, tick=True)
@pytest.mark.parametrize("width", [375, 1280])
def test_a_healthy_system_reads_as_one_row_a_check(operator, width):
    beat_sent(NOW - timedelta(seconds=30))
    operator.set_viewport_size({"width": width, "height": 900})

    response = operator.goto("/health/")

    assert response.status == 200
    assert operator.get_by_role("heading", level=1).inner_text() == "System status"
    assert operator.get_by_role("status").inner_text() == "Every part is healthy."
    rows = _rows(operator)
    assert set(rows.values()) == {"OK"}
    assert {"Database(alias='default')", "BeatHeartbeat()"} <= set(rows)
    assert operator.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert axe_violations(operator) == []


@pytest.mark.clock(NOW, tick=True)
def test_a_failing_check_is_named_with_its_reason(operator):
    beat_sent(NOW - timedelta(seconds=600))

    response = operator.goto("/health/")

    assert response.status == 500
    assert "Some parts are not healthy" in operator.get_by_role("alert").inner_text()
    assert _rows(operator)["BeatHeartbeat()"].startswith("Unavailable: beat sent nothing for")
    assert axe_violations(operator) == []
