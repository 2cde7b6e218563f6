"""Prometheus metrics at /metrics (ADR 0024): only with the operations token; request counts;
run outcomes and durations read from the runs themselves and checked against an independent
count; a real run on the sandbox portal shows up at the next scrape."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families

from operations.metrics import RUN_BUCKETS
from publishing import services
from publishing.models import PublicationRun, RunStatus
from tests.operations.conftest import TOKEN
from tests.publishing.helpers import ocme_dataset, ready_publication

START = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


@pytest.fixture
def publication(portal_settings, agency_a, publisher_a):
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def finished_run(publication, status: str, seconds: float, *, unchanged: bool = False):
    return PublicationRun.objects.create(
        publication=publication,
        status=status,
        unchanged=unchanged,
        started_at=START,
        finished_at=START + timedelta(seconds=seconds),
    )


def test_metrics_are_not_found_without_a_token_configured(client, settings):
    settings.CTODP_OPS_TOKEN = ""

    assert client.get("/metrics").status_code == 404


def test_metrics_refuse_a_wrong_token(client, settings):
    settings.CTODP_OPS_TOKEN = TOKEN

    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_requests_are_counted_by_url_name_and_status(ops, db):
    key = (
        "ctodp_http_requests_total",
        (("method", "GET"), ("status", "200"), ("view", "healthz")),
    )
    missing = (
        "ctodp_http_requests_total",
        (("method", "GET"), ("status", "404"), ("view", "unmatched")),
    )
    before = scrape(ops)

    ops.get("/healthz")
    ops.get("/healthz")
    ops.get("/no-such-page/")
    after = scrape(ops)

    assert after[key] - before.get(key, 0) == 2
    assert after[missing] - before.get(missing, 0) == 1
    latency = (
        "ctodp_http_request_duration_seconds_count",
        (("method", "GET"), ("view", "healthz")),
    )
    assert after[latency] - before.get(latency, 0) == 2


def test_run_outcomes_are_counted_from_the_runs(ops, publication):
    finished_run(publication, RunStatus.SUCCEEDED, 10)
    finished_run(publication, RunStatus.SUCCEEDED, 11)
    finished_run(publication, RunStatus.SUCCEEDED, 1, unchanged=True)
    finished_run(publication, RunStatus.FAILED, 3)
    PublicationRun.objects.create(publication=publication, status=RunStatus.RUNNING)
    PublicationRun.objects.create(publication=publication, status=RunStatus.QUEUED)

    samples = scrape(ops)

    outcomes = {
        outcome: samples[("ctodp_runs_finished_total", (("outcome", outcome),))]
        for outcome in ("succeeded", "unchanged", "failed", "cancelled")
    }
    assert outcomes == {"succeeded": 2, "unchanged": 1, "failed": 1, "cancelled": 0}


durations = st.lists(
    st.one_of(
        st.sampled_from([float(bound) for bound in RUN_BUCKETS]),  # exactly on a bucket's edge
        st.floats(min_value=0, max_value=30_000, allow_nan=False).map(lambda s: round(s, 3)),
    ),
    max_size=12,
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seconds=durations)
def test_the_duration_histogram_agrees_with_an_independent_count(ops, publication, seconds):
    PublicationRun.objects.all().delete()
    for value in seconds:
        finished_run(publication, RunStatus.SUCCEEDED, value)

    samples = scrape(ops)

    for bound in RUN_BUCKETS:
        expected = sum(1 for value in seconds if value <= bound)
        key = ("ctodp_run_duration_seconds_bucket", (("le", str(float(bound))),))
        assert samples[key] == expected, bound
    assert samples[("ctodp_run_duration_seconds_bucket", (("le", "+Inf"),))] == len(seconds)
    assert samples[("ctodp_run_duration_seconds_count", ())] == len(seconds)
    assert samples[("ctodp_run_duration_seconds_sum", ())] == pytest.approx(sum(seconds), abs=1e-3)


def test_a_real_run_appears_at_the_next_scrape(
    ops, sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(publication=publication, acting_user=publisher_a)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error

    samples = scrape(ops)

    assert samples[("ctodp_runs_finished_total", (("outcome", "succeeded"),))] == 1
    assert samples[("ctodp_run_duration_seconds_count", ())] == 1
    took = (run.finished_at - run.started_at).total_seconds()
    assert samples[("ctodp_run_duration_seconds_sum", ())] == pytest.approx(took, abs=1e-3)


def test_queue_depth_is_absent_without_redis(ops, db, settings):
    settings.CELERY_BROKER_URL = "filesystem://"

    samples = scrape(ops)

    assert not [key for key in samples if key[0] == "ctodp_queue_depth"]
