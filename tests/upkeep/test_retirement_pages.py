"""Retirement pages: start and cancel on the publication page, access per role, the public list
of retired assets and its CSV, and what the catalog and data.json say about a retired asset."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inventories.choices import AccessLevel, InventoryStatus
from publishing.models import Publication
from tests.catalog.test_data_json import _validator
from tests.inventories.factories import DatasetFactory, InventoryFactory
from upkeep.models import Retirement, RetirementStatus

pytestmark = pytest.mark.django_db

FORM = {
    "criterion": "outdated",
    "reason": "Superseded by the yearly files.",
    "superseded_by": "abcd-2024",
    "archive_url": "https://archive.example.org/ocme",
}


def retired(publication, user, *, n: int = 0, **fields) -> Retirement:
    """A retirement already carried out (for the list pages, which read the database only)."""
    when = timezone.now() - datetime.timedelta(days=n)
    values = {
        "publication": publication,
        "agency": publication.agency,
        "criterion": "replaced",
        "reason": f"Replaced ({n}).",
        "status": RetirementStatus.RETIRED,
        "original_title": publication.dataset.title,
        "started_by": user,
        "notice_posted_at": when - datetime.timedelta(days=30),
        "due_at": when,
        "made_private_at": when,
        **fields,
    }
    return Retirement.objects.create(**values)


def many_retired(agency, user, count: int, *, start: int = 0) -> None:
    for n in range(start, start + count):
        dataset = DatasetFactory(inventory=InventoryFactory(agency=agency, year=2000 + n))
        publication = Publication.objects.create(
            dataset=dataset, agency=agency, portal_id=f"r{n:03d}-0001", created_by=user
        )
        retired(publication, user, n=n, superseded_by="https://example.org/new")


def test_the_publisher_starts_and_cancels_from_the_publication_page(
    client, public, publisher_a, django_capture_on_commit_callbacks
):
    client.force_login(publisher_a)
    page = client.get(f"/publishing/{public.pk}/").content.decode()
    assert 'id="retirement-form"' in page
    assert "Not the publisher&#x27;s data" in page  # the Handbook criteria are the choices

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/publishing/{public.pk}/retire/", FORM)
    assert response.status_code == 302
    # The portal notice task and the e-mail notices (ADR 0019), both once the transaction commits.
    assert len(callbacks) == 2
    retirement = Retirement.objects.get()
    assert (retirement.started_by, retirement.criterion) == (publisher_a, "outdated")
    page = client.get(f"/publishing/{public.pk}/").content.decode()
    assert 'id="retirement-timeline"' in page
    assert "Not posted yet." in page
    assert 'id="retirement-form"' not in page
    assert "Cancel the retirement" in page
    assert "Publish privately" not in page
    assert 'id="runs-blocked"' in page

    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/publishing/retirements/{retirement.pk}/cancel/")
    retirement.refresh_from_db()
    assert retirement.status == RetirementStatus.CANCELLING
    assert retirement.cancelled_by == publisher_a


def test_a_bad_form_is_shown_again_with_its_errors(client, public, ado_a):
    client.force_login(ado_a)
    response = client.post(
        f"/publishing/{public.pk}/retire/", {**FORM, "reason": "", "superseded_by": "nope"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_reason_error"' in page
    assert "portal id (abcd-1234) or its URL" in page
    assert not Retirement.objects.exists()


def test_a_second_start_is_refused_with_a_message(client, public, ado_a):
    retired(public, ado_a, status=RetirementStatus.NOTICE_POSTED, made_private_at=None)
    client.force_login(ado_a)
    response = client.post(f"/publishing/{public.pk}/retire/", FORM)
    assert response.status_code == 400
    assert "already being retired" in response.content.decode()
    assert Retirement.objects.count() == 1


def test_a_viewer_sees_the_status_but_cannot_start_or_cancel(client, public, viewer_a, ado_a):
    retirement = retired(public, ado_a, status=RetirementStatus.NOTICE_POSTED, made_private_at=None)
    client.force_login(viewer_a)
    page = client.get(f"/publishing/{public.pk}/").content.decode()
    assert 'id="retirement-timeline"' in page
    assert "Cancel the retirement" not in page
    assert client.post(f"/publishing/{public.pk}/retire/", FORM).status_code == 403
    cancel = client.post(f"/publishing/retirements/{retirement.pk}/cancel/")
    assert cancel.status_code == 403


def test_another_agency_gets_not_found(client, public, ado_b, ado_a):
    retirement = retired(public, ado_a, status=RetirementStatus.NOTICE_POSTED, made_private_at=None)
    client.force_login(ado_b)
    assert client.post(f"/publishing/{public.pk}/retire/", FORM).status_code == 404
    assert client.post(f"/publishing/retirements/{retirement.pk}/cancel/").status_code == 404
    assert client.post("/publishing/retirements/999999/cancel/").status_code == 404


def test_the_public_list_needs_no_sign_in_and_shows_what_the_handbook_asks(client, public, ado_a):
    retired(public, ado_a, superseded_by="abcd-2024", archive_url="https://archive.example.org/a")
    response = client.get("/catalog/retired/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accidental Drug Related Deaths 2012-2018" in page
    assert "Made private on" in page
    assert "Discontinued, consolidated or replaced: Replaced (0)." in page
    assert "/d/abcd-2024" in page
    assert "https://archive.example.org/a" in page
    assert "Health and Human Services" in page  # inventory metadata


def test_mid_retirement_is_listed_but_requested_and_cancelled_are_not(
    client, agency_a, publisher_a
):
    many_retired(agency_a, publisher_a, 3)
    first, second, third = Retirement.objects.order_by("pk")
    Retirement.objects.filter(pk=first.pk).update(
        status=RetirementStatus.NOTICE_POSTED, made_private_at=None
    )
    Retirement.objects.filter(pk=second.pk).update(
        status=RetirementStatus.CANCELLED, cancelled_at=timezone.now()
    )
    Retirement.objects.filter(pk=third.pk).update(
        status=RetirementStatus.REQUESTED, notice_posted_at=None, made_private_at=None
    )
    page = client.get("/catalog/retired/").content.decode()
    assert "Mid-retirement: to be made private on" in page
    assert "Replaced (0)." in page
    assert "Replaced (1)." not in page
    assert "Replaced (2)." not in page


def test_the_csv_is_safe_in_spreadsheets_and_withholds_non_public_details(
    client, agency_a, publisher_a
):
    hidden = DatasetFactory(
        inventory=InventoryFactory(agency=agency_a),
        title="Case files",
        description="Names of people",
        access_level=AccessLevel.NON_PUBLIC,
        access_reason="CGS 1-210(b)",
    )
    publication = Publication.objects.create(
        dataset=hidden, agency=agency_a, portal_id="case-0001", created_by=publisher_a
    )
    retired(publication, publisher_a, criterion="protected_data", reason="=HYPERLINK(1)")

    response = client.get("/catalog/retired.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0]["Title"] == "Case files"
    assert rows[0]["Reason"] == "'=HYPERLINK(1)"
    assert rows[0]["Criterion"] == "Contains protected data"
    assert rows[0]["Description"] == ""
    assert rows[0]["Date made private"] == timezone.localdate().isoformat()


def _fetch(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize("url", ["/catalog/retired/", "/catalog/retired.csv"])
def test_the_list_costs_the_same_queries_at_two_sizes(
    client, agency_a, publisher_a, django_assert_num_queries, url
):
    many_retired(agency_a, publisher_a, 2)
    with CaptureQueriesContext(connection) as small:
        _fetch(client, url)
    many_retired(agency_a, publisher_a, 10, start=2)
    with django_assert_num_queries(len(small)):
        _fetch(client, url)


def _accepted_dataset(agency, **fields):
    inventory = InventoryFactory(agency=agency, year=2026, status=InventoryStatus.ACCEPTED)
    return DatasetFactory(inventory=inventory, access_level=AccessLevel.PUBLIC, **fields)


def test_data_json_and_the_catalog_stop_pointing_at_a_retired_asset(client, agency_a, publisher_a):
    dataset = _accepted_dataset(agency_a, title="Old bridges", portal_id="brdg-0001")
    kept = DatasetFactory(
        inventory=dataset.inventory, title="New bridges", portal_id="brdg-0002",
        access_level=AccessLevel.PUBLIC,
    )  # fmt: skip
    publication = Publication.objects.create(
        dataset=dataset, agency=agency_a, portal_id="brdg-0001", created_by=publisher_a
    )
    retirement = retired(publication, publisher_a)

    catalog = client.get("/data.json").json()
    _validator().validate(catalog)
    entries = {entry["title"]: entry for entry in catalog["dataset"]}
    old = entries["Old bridges"]
    assert old["accessLevel"] == "non-public"
    day = timezone.localdate(retirement.made_private_at).isoformat()
    assert old["rights"] == f"Retired from the CT Open Data Portal on {day}."
    assert "distribution" not in old
    assert "brdg-0001" not in old["identifier"]
    assert entries[kept.title]["accessLevel"] == "public"
    assert "brdg-0002" in entries[kept.title]["identifier"]

    page = client.get("/catalog/").content.decode()
    assert "/d/brdg-0001" not in page
    assert "/d/brdg-0002" in page
    body = b"".join(client.get("/catalog.csv").streaming_content).decode()
    rows = {row["Title"]: row for row in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))}
    assert rows["Old bridges"]["Portal URL"] == ""
    assert rows["Old bridges"]["Available at"].startswith("Retired from the portal on")


def test_a_retirement_in_progress_is_still_a_current_dataset(client, agency_a, publisher_a):
    dataset = _accepted_dataset(agency_a, title="Old bridges", portal_id="brdg-0001")
    publication = Publication.objects.create(
        dataset=dataset, agency=agency_a, portal_id="brdg-0001", created_by=publisher_a
    )
    retired(publication, publisher_a, status=RetirementStatus.NOTICE_POSTED, made_private_at=None)
    entry = client.get("/data.json").json()["dataset"][0]
    assert entry["accessLevel"] == "public"
    assert "distribution" in entry


def test_staff_read_retirements_and_their_history_in_the_admin(client, public, dapa, ado_a):
    retirement = retired(public, ado_a)
    client.force_login(dapa)
    listing = client.get("/admin/upkeep/retirement/")
    assert listing.status_code == 200
    assert "Accidental Drug Related Deaths" in listing.content.decode()
    history = client.get(f"/admin/upkeep/retirement/{retirement.pk}/history/")
    assert history.status_code == 200
    assert client.get("/admin/upkeep/retirement/add/").status_code == 403
    client.force_login(ado_a)
    assert client.get("/admin/upkeep/retirement/").status_code == 302  # to the admin login
