"""Issue 7: aggregation with suppression in the browser, saved as a publication's new source."""

import io

import pandas as pd
import pytest

from privacy import aggregation as suppression_services
from publishing.models import Publication
from tests.publishing.helpers import OCME as OCME_SLICE
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
    assert publication.method_note.startswith("Method")
    assert "by Sex, ResidenceCounty" in publication.method_note
    assert "audit by linear programming" in publication.method_note
    assert "Method" not in publication.current_dataset().description


def test_the_method_note_is_the_assets_own_and_a_new_aggregation_replaces_it(
    publication, publisher_a
):
    # Issue #14.7: sibling assets of one dataset are made differently; the shared dataset
    # description must not describe either, and each asset says only how it was made.
    raw = ready_publication(publication.dataset, publisher_a)
    sibling = ready_publication(publication.dataset, publisher_a)
    description = publication.dataset.description
    by_year = {"by": ["Date:year"], "value": "", "threshold": 5}
    save = suppression_services.save_as_source
    save(source=raw, target=publication, acting_user=publisher_a, **QUERY)
    save(source=raw, target=sibling, acting_user=publisher_a, **by_year)
    publication.refresh_from_db()
    sibling.refresh_from_db()
    assert "by Sex, ResidenceCounty" in publication.method_note
    assert "by Date_year" in sibling.method_note
    assert "Sex" not in sibling.method_note
    assert publication.current_dataset().description == description
    save(source=raw, target=sibling, acting_user=publisher_a, **QUERY)
    sibling.refresh_from_db()
    assert sibling.method_note.count("Method (") == 1
    assert "Date_year" not in sibling.method_note


def test_the_portal_description_carries_the_assets_method(publication, publisher_a):
    from publishing.portal.metadata import view_fields

    suppression_services.save_as_source(
        source=publication, target=publication, acting_user=publisher_a, **QUERY
    )
    publication.refresh_from_db()
    fields = view_fields(publication)
    assert fields["description"].endswith(publication.method_note)


def test_the_page_offers_years_months_and_age_bands(client, publication, publisher_a):
    from privacy.forms import grouping_choices

    columns = [
        {"name": "Date", "type": "calendar_date"},
        {"name": "Age", "type": "number"},
        {"name": "Amount", "type": "number"},
        {"name": "Sex", "type": "text"},
    ]
    assert [value for value, _ in grouping_choices(columns)] == [
        "Date", "Date:year", "Date:month", "Age", "Age:age5", "Age:age10", "Amount", "Sex"
    ]  # fmt: skip
    client.force_login(publisher_a)
    page = client.get(f"/publishing/{publication.pk}/suppress/").content.decode()
    assert 'value="Date:year"' in page
    assert 'value="Age:age10"' in page


def test_grouping_by_year_and_age_band_counts_like_an_independent_cut(
    client, publication, publisher_a
):
    client.force_login(publisher_a)
    query = {"by": ["Date:year", "Age:age10"], "value": "", "threshold": 5}
    page = client.get(f"/publishing/{publication.pk}/suppress/", query)
    preview = page.context["preview"]
    assert preview is not None, page.context["form"].errors
    frame = pd.read_csv(OCME_SLICE, dtype=str)
    # Written apart from the engine: plain string slicing and arithmetic, missing as a group.
    expected: dict[tuple[str, str], int] = {}
    for date, age in zip(frame["Date"], frame["Age"], strict=True):
        year = date[6:10] if isinstance(date, str) else "(missing)"
        if not isinstance(age, str):
            band = "(missing)"
        elif int(age) >= 90:
            band = "90+"
        else:
            low = int(age) // 10 * 10
            band = f"{low}-{low + 9}"
        expected[(year, band)] = expected.get((year, band), 0) + 1
    shown = {tuple(row["labels"]): row["value"] for row in preview["rows"] if not row["suppressed"]}
    assert shown  # the preview shows cells, and every one of them equals the plain count
    for labels, value in shown.items():
        assert expected.get(labels, 0) == value, labels


def test_another_agency_cannot_preview(client, publication, ado_b):
    client.force_login(ado_b)
    assert client.get(f"/publishing/{publication.pk}/suppress/", QUERY).status_code == 404
