"""Issue #14: aggregation with suppression through /api/v1/, as the page does it: counts equal
an independent count, small cells suppressed, groupings by year and age band, a worker for
large sources, agency scoping and clear 400s."""

from collections import Counter

import pandas as pd
import pytest
from rest_framework.test import APIClient

from publishing.models import Publication, RunStatus
from tests.publishing.helpers import OCME, ocme_dataset, ready_publication


@pytest.fixture
def publication(agency_a, publisher_a) -> Publication:
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def _post(user, publication, **body):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(f"/api/v1/publications/{publication.pk}/aggregate/", body, format="json")


def test_counts_equal_an_independent_count_and_small_cells_are_hidden(publication, publisher_a):
    answer = _post(publisher_a, publication, by=["Sex", "ResidenceCounty"], threshold=5)
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["audit_passed"] is True
    frame = pd.read_csv(OCME, dtype=str, keep_default_na=False)
    expected = Counter(
        (sex or "(missing)", county or "(missing)")
        for sex, county in zip(frame["Sex"], frame["ResidenceCounty"], strict=True)
    )
    shown = [row for row in body["rows"] if not row["suppressed"]]
    assert shown
    for row in shown:
        assert row["value"] == expected.get(tuple(row["labels"]), 0), row
        assert not 1 <= row["value"] <= 5
    assert all(row["value"] is None for row in body["rows"] if row["suppressed"])
    assert body["hidden"] >= sum(row["suppressed"] for row in body["rows"]) > 0


def test_dates_by_year_and_ages_in_bands(publication, publisher_a):
    answer = _post(publisher_a, publication, by=["Date:year", "Age:age10"])
    assert answer.status_code == 200, answer.json()
    assert answer.json()["by"] == ["Date_year", "Age_age10"]
    labels = {row["labels"][1] for row in answer.json()["rows"]}
    assert labels <= {"(missing)", "90+", *(f"{low}-{low + 9}" for low in range(0, 90, 10))}


def test_a_large_source_goes_to_a_worker(
    publication, publisher_a, settings, django_capture_on_commit_callbacks
):
    settings.CTODP_SUPPRESS_SYNC_BYTES = 0
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(publisher_a, publication, by=["Sex"])
    assert answer.status_code == 202, answer.json()
    api = APIClient()
    api.force_authenticate(publisher_a)
    job = api.get(answer.json()["url"]).json()
    assert job["status"] == RunStatus.SUCCEEDED, job["error"]
    assert job["result"]["by"] == ["Sex"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"by": []}, "by"),
        ({"by": ["NoSuchColumn"]}, "by"),
        ({"by": ["Sex", "Sex"]}, "by"),
        ({"by": ["Sex:age5"]}, "by"),  # bands only for an age column
        ({"by": ["a", "b", "c", "d", "e"]}, "by"),
        ({"by": ["Sex"], "threshold": 0}, "threshold"),
        ({"by": "Sex; DROP TABLE"}, "by"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(publication, publisher_a, body, field):
    answer = _post(publisher_a, publication, **body)
    assert answer.status_code == 400
    assert field in answer.json()


def test_another_agency_and_a_viewer_cannot_aggregate(publication, ado_b, viewer_a):
    assert _post(ado_b, publication, by=["Sex"]).status_code == 404
    assert _post(viewer_a, publication, by=["Sex"]).status_code == 403


def test_who_may_read_a_job(
    publication, publisher_a, dapa, ado_b, settings, django_capture_on_commit_callbacks
):
    settings.CTODP_SUPPRESS_SYNC_BYTES = 0
    with django_capture_on_commit_callbacks(execute=True):
        url = _post(publisher_a, publication, by=["Sex"]).json()["url"]
    for user, expected in ((dapa, 200), (ado_b, 404)):
        api = APIClient()
        api.force_authenticate(user)
        assert api.get(url).status_code == expected
