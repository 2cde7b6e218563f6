"""The portal adapter over the real sodapy client and real HTTP against the sandbox portal."""

import pytest

from publishing.portal import PortalClient, PortalError, WriteResult
from sandbox_portal import RunningSandbox
from tests.sandbox import SONG_COLUMNS, inject, requests_seen


@pytest.fixture
def dataset(portal: PortalClient) -> str:
    view = portal.create_dataset("Songs", columns=SONG_COLUMNS, row_identifier="song_id")
    return view["id"]


def statuses(sandbox: RunningSandbox, method: str) -> list[int]:
    return [r["status"] for r in requests_seen(sandbox) if r["method"] == method]


# --- retries ---------------------------------------------------------------------------------


def test_three_server_errors_then_success(portal, dataset, sandbox, naps):
    inject(sandbox, status=500, count=3, path_prefix="/resource/", method="POST")

    result = portal.upsert(dataset, [{"song_id": "a"}])

    assert result == WriteResult(created=1)
    assert statuses(sandbox, "POST")[-4:] == [500, 500, 500, 200]
    assert len(naps) == 3
    # Exponential with equal jitter: each wait lies in [ceiling / 2, ceiling].
    for attempt, wait in enumerate(naps, start=1):
        ceiling = min(0.05, 0.01 * 2 ** (attempt - 1))
        assert ceiling / 2 <= wait <= ceiling


def test_429_honours_retry_after(portal, dataset, sandbox, naps):
    inject(sandbox, status=429, retry_after=2, path_prefix="/resource/")

    rows = portal.get_rows(dataset)

    assert rows == []
    assert len(naps) == 1
    assert naps[0] >= 2
    assert statuses(sandbox, "GET")[-2:] == [429, 200]


def test_a_retry_after_beyond_the_limit_fails_fast_as_transient(portal, dataset, sandbox, naps):
    inject(sandbox, status=429, retry_after=600, path_prefix="/resource/")

    with pytest.raises(PortalError) as caught:
        portal.upsert(dataset, [{"song_id": "a"}])

    assert caught.value.retryable is True
    assert caught.value.retry_after == 600
    assert naps == []


def test_a_dropped_connection_is_retried(portal, dataset, sandbox, naps):
    inject(sandbox, drop=True, path_prefix="/resource/", method="POST")

    result = portal.upsert(dataset, [{"song_id": "a"}, {"song_id": "b"}])

    assert result.created == 2
    assert len(naps) == 1
    assert len(portal.get_rows(dataset)) == 2


def test_a_lost_answer_is_retried_without_duplicating_rows(portal, dataset, sandbox, naps):
    # The portal applies the upsert, then the connection drops before the answer.
    inject(sandbox, drop=True, after=True, path_prefix="/resource/", method="POST")

    result = portal.upsert(dataset, [{"song_id": "a", "plays": 1}])

    assert result == WriteResult(updated=1)  # the retry found the row already there
    assert portal.get_rows(dataset) == [{"song_id": "a", "plays": "1"}]
    assert len(naps) == 1


def test_a_slow_response_times_out_and_is_retried(portal_settings, dataset, sandbox):
    portal_settings.SOCRATA_TIMEOUT = 0.3
    naps: list[float] = []
    inject(sandbox, delay=0.6, path_prefix="/resource/", method="GET")

    with PortalClient(sleep=naps.append) as impatient:
        rows = impatient.get_rows(dataset)

    assert rows == []
    assert len(naps) == 1


def test_retries_stop_after_the_configured_number(portal, dataset, sandbox, naps):
    inject(sandbox, status=503, count=10, path_prefix="/resource/")

    with pytest.raises(PortalError) as caught:
        portal.get_rows(dataset)

    assert caught.value.attempts == 5
    assert caught.value.retryable is True
    assert caught.value.status == 503
    assert len(naps) == 4
    assert "5 attempts" in str(caught.value)


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_errors_are_not_retried_and_carry_the_portal_message(
    portal, dataset, sandbox, naps, status
):
    inject(sandbox, status=status, path_prefix="/resource/", message=f"Refused with {status}")

    with pytest.raises(PortalError) as caught:
        portal.upsert(dataset, [{"song_id": "a"}])

    error = caught.value
    assert (error.status, error.retryable, error.attempts) == (status, False, 1)
    assert error.portal_message == f"Refused with {status}"
    assert f"HTTP {status}" in str(error)
    assert f"Refused with {status}" in str(error)
    assert f"upsert chunk 1 into {dataset}" in str(error)
    assert naps == []
    assert statuses(sandbox, "POST")[-1] == status


def test_a_real_not_found_names_the_dataset(portal, naps):
    with pytest.raises(PortalError, match=r"read metadata of abcd-2345.*HTTP 404") as caught:
        portal.get_metadata("abcd-2345")

    assert caught.value.portal_message == "Cannot find view with id abcd-2345"
    assert naps == []


def test_bad_credentials_are_a_permanent_401(portal_settings, naps, sandbox):
    portal_settings.SOCRATA_PASSWORD = "not-the-password"

    with PortalClient(sleep=naps.append) as intruder, pytest.raises(PortalError) as caught:
        intruder.create_dataset("Nope", columns=SONG_COLUMNS)

    assert caught.value.status == 401
    assert caught.value.retryable is False
    assert "Invalid username or password" in str(caught.value)
    assert naps == []


def test_creating_a_dataset_is_not_retried_after_a_server_error(portal, sandbox, naps):
    # The portal may have created it before failing; retrying could make a duplicate.
    inject(sandbox, status=500, path_prefix="/api/views.json")

    with pytest.raises(PortalError) as caught:
        portal.create_dataset("Songs", columns=SONG_COLUMNS)

    assert caught.value.retryable is False
    assert portal.catalog() == []


def test_creating_a_dataset_is_retried_when_throttled(portal, sandbox, naps):
    inject(sandbox, status=429, path_prefix="/api/views.json")

    view = portal.create_dataset("Songs", columns=SONG_COLUMNS)

    assert [r["resource"]["id"] for r in portal.catalog()] == [view["id"]]
    assert len(naps) == 1


def test_a_202_ticket_is_retried_until_the_portal_answers(portal, dataset, sandbox, naps):
    inject(sandbox, status=202, path_prefix=f"/api/views/{dataset}/publication")

    view = portal.publish(dataset)

    assert view["publicationStage"] == "published"
    assert len(naps) == 1


def test_a_delete_whose_answer_was_lost_counts_as_done(portal, dataset, sandbox, naps):
    inject(sandbox, status=502, after=True, path_prefix="/api/views/", method="DELETE")

    portal.delete_dataset(dataset)

    assert statuses(sandbox, "DELETE")[-2:] == [502, 404]
    assert len(naps) == 1
    with pytest.raises(PortalError, match="HTTP 404"):
        portal.delete_dataset(dataset)  # a first-attempt 404 is still an error
