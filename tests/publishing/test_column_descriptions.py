"""Issue 7: the publisher describes each column when confirming them; the descriptions are kept
with the confirmed columns, sent to the portal, and satisfy the lint's column item."""

import pytest
import requests
from rest_framework.test import APIClient

from publishing import services
from publishing.quality import publication_quality
from tests.publishing.helpers import (
    ocme_dataset,
    ocme_upload,
    ready_publication,
    sandbox_writes,
)
from tests.sandbox import PASSWORD, USERNAME, forget_requests

CSV = b"ID,Age,Town\na1,40,Hartford\na2,51,Lyme\n"


@pytest.fixture
def publication(agency_a, publisher_a):
    publication = services.publication_create(
        dataset=ocme_dataset(agency_a), acting_user=publisher_a
    )
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload("small.csv", CSV)
    )
    return publication


def _confirm(client, publication, **descriptions):
    fields = {f"description_{name}": text for name, text in descriptions.items()}
    return client.post(f"/publishing/{publication.pk}/columns/", {"row_identifier": "id", **fields})


def _column_findings(publication) -> list:
    publication.refresh_from_db()
    return [f for f in publication_quality(publication).findings if f.item == "columns"]


def test_the_form_stores_a_description_per_column(client, publication, publisher_a):
    client.force_login(publisher_a)
    page = client.get(f"/publishing/{publication.pk}/").content.decode()
    assert 'name="description_town"' in page
    assert "Description of “Town”" in page

    _confirm(client, publication, id="Case number", age="Age in years", town="Residence town")

    publication.refresh_from_db()
    assert [c["description"] for c in publication.columns] == [
        "Case number",
        "Age in years",
        "Residence town",
    ]
    assert not publication.schema_changed  # descriptions are not a change of the source
    page = client.get(f"/publishing/{publication.pk}/").content.decode()
    assert 'value="Residence town"' in page  # the form shows what was written


def test_the_lint_passes_with_every_description_and_names_the_missing_ones(
    client, publication, publisher_a
):
    client.force_login(publisher_a)
    _confirm(client, publication, id="Case number")
    [finding] = _column_findings(publication)
    assert finding.code == "column_description_missing"
    assert "2 of 3 columns have no description: Age, Town" in finding.message

    _confirm(client, publication, id="Case number", age="Age in years", town="Residence town")
    assert _column_findings(publication) == []


def test_confirming_again_without_descriptions_keeps_them(publication, publisher_a):
    services.publication_confirm_columns(
        publication=publication,
        acting_user=publisher_a,
        row_identifier="id",
        descriptions={"town": "Residence town"},
    )
    services.publication_confirm_columns(
        publication=publication, acting_user=publisher_a, row_identifier="id"
    )
    assert publication.columns[2]["description"] == "Residence town"


def test_a_description_edit_does_not_make_the_screen_stale(publication, publisher_a):
    confirm = {"publication": publication, "acting_user": publisher_a, "row_identifier": "id"}
    services.publication_confirm_columns(**confirm)
    version = publication.source_version
    services.publication_confirm_columns(**confirm, descriptions={"age": "Age in years"})
    assert publication.source_version == version


def test_the_portal_gets_the_column_descriptions(
    portal_settings, sandbox, agency_a, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    services.publication_confirm_columns(
        publication=publication,
        acting_user=publisher_a,
        row_identifier="id",
        descriptions={"age": "Age at death, in years"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(publication=publication, acting_user=publisher_a)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    publication.refresh_from_db()
    view = requests.get(
        f"{sandbox.url}/api/views/{publication.portal_id}.json",
        auth=(USERNAME, PASSWORD),
        timeout=5,
    ).json()
    described = {c["fieldName"]: c["description"] for c in view["columns"]}
    assert described["age"] == "Age at death, in years"
    assert described["sex"] == ""


def test_the_api_takes_descriptions_by_field_name(publication, publisher_a):
    api = APIClient()
    api.force_authenticate(publisher_a)
    answer = api.post(
        f"/api/v1/publications/{publication.pk}/columns/",
        {"row_identifier": "id", "descriptions": {"town": "Residence town"}},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert _column_findings(publication)[0].message.endswith("ID, Age")


def test_a_description_written_later_reaches_the_existing_asset_without_a_row_push(
    portal_settings, sandbox, agency_a, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)

    def push():
        with django_capture_on_commit_callbacks(execute=True):
            run = services.run_start(publication=publication, acting_user=publisher_a)
        run.refresh_from_db()
        assert run.status == "succeeded", run.error
        return run

    push()
    services.publication_confirm_columns(
        publication=publication,
        acting_user=publisher_a,
        row_identifier="id",
        descriptions={"sex": "Sex as recorded by the OCME"},
    )
    assert push().unchanged  # the rows are the same: none is written again
    publication.refresh_from_db()
    view = requests.get(
        f"{sandbox.url}/api/views/{publication.portal_id}.json",
        auth=(USERNAME, PASSWORD),
        timeout=5,
    ).json()
    described = {c["fieldName"]: c["description"] for c in view["columns"]}
    assert described["sex"] == "Sex as recorded by the OCME"
    forget_requests(sandbox)
    assert push().unchanged
    assert sandbox_writes(sandbox) == []  # a third run has nothing left to send
