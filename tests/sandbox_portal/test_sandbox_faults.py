"""Injected faults and error bodies as sodapy sees them (SODA.md §5, check 6), and robustness."""

import pytest
import requests
from sodapy import Socrata

from sandbox_portal import RunningSandbox
from tests.sandbox import PASSWORD, USERNAME, clear_faults, connect, control, inject, requests_seen

MESSAGES = {
    400: "Malformed SoQL in $where",
    401: "Invalid username or password",
    403: "You must be logged in to access this resource",
    404: "Dataset is gone",
    429: "Too many requests; slow down",
    500: "Internal error in the storage layer",
}


@pytest.mark.parametrize("status", sorted(MESSAGES))
def test_injected_status_raises_http_error_with_the_body_message(
    soda: Socrata, songs: str, sandbox: RunningSandbox, status: int
):
    message = MESSAGES[status]
    inject(sandbox, status=status, path_prefix="/resource/", message=message)

    with pytest.raises(requests.HTTPError) as caught:
        soda.get(songs)

    assert caught.value.response.status_code == status
    assert message in str(caught.value)
    assert caught.value.response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert soda.get(songs) == []  # the fault was used up by one request


def test_retry_after_header_travels_with_a_429(soda: Socrata, songs: str, sandbox: RunningSandbox):
    inject(sandbox, status=429, retry_after=7, path_prefix="/resource/")

    with pytest.raises(requests.HTTPError) as caught:
        soda.upsert(songs, [{"song_id": "a"}])

    assert caught.value.response.headers["Retry-After"] == "7"
    assert soda.get(songs) == []  # a refused write wrote nothing


def test_a_202_hands_back_the_ticket(soda: Socrata, songs: str, sandbox: RunningSandbox):
    inject(sandbox, status=202, path_prefix=f"/api/views/{songs}/publication")

    answer = soda.publish(songs)

    assert answer["ticket"].startswith("sandbox-")
    assert soda.get_metadata(songs)["publicationStage"] == "unpublished"


def test_a_slow_response_times_out(sandbox: RunningSandbox, songs: str):
    inject(sandbox, delay=0.6, path_prefix="/resource/")
    impatient = connect(sandbox.domain, USERNAME, PASSWORD, timeout=0.2)

    with impatient, pytest.raises(requests.exceptions.ReadTimeout):
        impatient.get(songs)


def test_a_dropped_connection_is_a_connection_error(
    soda: Socrata, songs: str, sandbox: RunningSandbox
):
    inject(sandbox, drop=True, path_prefix="/resource/", count=1)

    with pytest.raises(requests.exceptions.ConnectionError):
        soda.upsert(songs, [{"song_id": "a"}])

    assert soda.get(songs) == []
    assert [r["status"] for r in requests_seen(sandbox) if r["fault"]] == [0]


def test_a_fault_after_the_work_loses_only_the_answer(
    soda: Socrata, songs: str, sandbox: RunningSandbox
):
    inject(sandbox, status=500, after=True, path_prefix="/resource/", method="POST")

    with pytest.raises(requests.HTTPError, match="500"):
        soda.upsert(songs, [{"song_id": "a"}])

    assert soda.get(songs) == [{"song_id": "a"}]


def test_faults_match_their_path_prefix_only(soda: Socrata, songs: str, sandbox: RunningSandbox):
    inject(sandbox, status=500, count=2, path_prefix="/resource/")

    assert soda.get_metadata(songs)["id"] == songs
    for _ in range(2):
        with pytest.raises(requests.HTTPError):
            soda.get(songs)
    assert soda.get(songs) == []


def test_clearing_faults(soda: Socrata, songs: str, sandbox: RunningSandbox):
    inject(sandbox, status=500, count=5)

    clear_faults(sandbox)

    assert soda.get(songs) == []


def test_bad_fault_definitions_are_refused(sandbox: RunningSandbox):
    response = control(sandbox, "POST", "faults", json={"count": 2})

    assert response.status_code == 400
    assert "needs a status" in response.json()["message"]


def test_wrong_credentials_are_a_401_even_for_reads(sandbox: RunningSandbox, songs: str):
    intruder = connect(sandbox.domain, USERNAME, "wrong")

    with (
        intruder,
        pytest.raises(requests.HTTPError, match="Invalid username or password") as caught,
    ):
        intruder.get_metadata(songs)

    assert caught.value.response.status_code == 401


def test_anonymous_writes_are_a_401(anonymous: Socrata, soda: Socrata, songs: str):
    soda.set_permission(songs, "public")

    with pytest.raises(requests.HTTPError, match=r"(?s)401 Client Error.*logged in"):
        anonymous.upsert(songs, [{"song_id": "a"}])
    with pytest.raises(requests.HTTPError, match="401"):
        anonymous.create("Nope", columns=[])


def test_bad_json_is_a_400_with_a_socrata_body(sandbox: RunningSandbox, songs: str):
    response = requests.post(
        f"{sandbox.url}/resource/{songs}.json",
        data=b"[{not json",
        auth=(USERNAME, PASSWORD),
        timeout=5,
    )

    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["error"] is True
    assert "not valid JSON" in response.json()["message"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nothing/here", 404),
        ("GET", "/resource/abcd-2345.json", 404),
        ("PATCH", "/api/views.json", 405),
        ("GET", "/resource/abcd-2345.json?$limit=-3", 404),
    ],
)
def test_unknown_things_get_socrata_error_bodies(
    sandbox: RunningSandbox, method: str, path: str, status: int
):
    response = requests.request(method, sandbox.url + path, auth=(USERNAME, PASSWORD), timeout=5)

    assert response.status_code == status
    assert response.json()["error"] is True
    assert response.json()["message"]


def test_unsupported_methods_answer_in_json(sandbox: RunningSandbox):
    response = requests.request("OPTIONS", f"{sandbox.url}/api/views.json", timeout=5)

    assert response.status_code == 501
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["error"] is True


def test_a_bad_limit_is_a_400(soda: Socrata, songs: str):
    with pytest.raises(requests.HTTPError, match="non-negative integer"):
        soda.get(songs, limit=-3)
