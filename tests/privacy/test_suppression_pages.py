"""Issue 7: aggregation with suppression in the browser, saved as a publication's new source."""

import io

import pandas as pd
import pytest

from privacy import aggregation as suppression_services
from publishing.models import Publication
from tests.publishing.helpers import ocme_dataset, ready_publication

QUERY = {"by": ["Sex", "ResidenceCounty"], "value": "", "threshold": 5}


@pytest.fixture
def publication(agency_a, publisher_a) -> Publication:
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def test_the_preview_marks_suppressed_cells(client, publication, publisher_a):
    client.force_login(publisher_a)
    page = client.get(f"/publishing/{publication.pk}/suppress/", QUERY).content.decode()
    assert 'id="suppress-preview"' in page
    assert 'data-suppressed="true"' in page
    assert "WINDHAM" in page
    assert 'name="target"' in page


def test_save_as_source_writes_a_suppressed_csv_and_notes_the_method(
    client, publication, publisher_a
):
    client.force_login(publisher_a)
    old_name = publication.source_file.name
    answer = client.post(
        f"/publishing/{publication.pk}/suppress/save/", {**QUERY, "target": publication.pk}
    )
    assert answer.status_code == 302
    publication.refresh_from_db()
    assert publication.source_file.name != old_name
    assert publication.source_name == f"suppressed-publication-{publication.pk}.csv"
    with publication.source_file.open("rb") as handle:
        saved = pd.read_csv(io.BytesIO(handle.read()))
    counts = saved["count"].dropna()
    assert not counts.between(1, 5).any()
    assert saved["count"].isna().sum() == saved["suppressed"].sum() > 0
    assert [c["name"] for c in publication.detected_columns] == [
        "Sex", "ResidenceCounty", "count", "suppressed"
    ]  # fmt: skip
    assert "suppressed" in publication.current_dataset().description
    assert "Method" in publication.current_dataset().description


def test_a_locked_inventory_gets_the_note_on_the_publication(publication, publisher_a):
    inventory = publication.dataset.inventory
    type(inventory).objects.filter(pk=inventory.pk).update(status="submitted")
    suppression_services.save_as_source(
        source=publication, target=publication, acting_user=publisher_a, **QUERY
    )
    publication.refresh_from_db()
    assert publication.method_note.startswith("Method")
    assert "Method" not in publication.current_dataset().description


def test_another_agency_cannot_preview(client, publication, ado_b):
    client.force_login(ado_b)
    assert client.get(f"/publishing/{publication.pk}/suppress/", QUERY).status_code == 404
