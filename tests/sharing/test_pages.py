"""The agreements register as its users use it: an ADO records an agreement with another agency
and OPM, uploads the signed document; members of the parties read it; other agencies get 404."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from sharing.models import Agreement, AgreementStatus
from tests.inventories.factories import DatasetFactory
from tests.sharing.factories import AgreementFactory

MOMENT = datetime.datetime(2026, 6, 1, 14, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(MOMENT)]

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _form(agency_ids, dataset_ids=(), **more):
    return {
        "title": "Overdose surveillance",
        "parties": list(agency_ids),
        "with_opm": "on",
        "outside_parties": "UConn Health\n\n  Yale School of Public Health ",
        "datasets": list(dataset_ids),
        "purpose": "Link overdose deaths to treatment records.",
        "legal_basis": "CGS §19a-25.",
        "security_terms": "Encrypted at rest.",
        "starts_on": "2026-01-01",
        "ends_on": "2027-06-30",
        "renewal_terms": "Renewable for two years by letter.",
        "status": AgreementStatus.IN_FORCE,
        **more,
    }


@pytest.fixture
def agreement(agency_a, agency_b):
    document = SimpleUploadedFile("signed.pdf", PDF, "application/pdf")
    return AgreementFactory(parties=[agency_a, agency_b], document=document)


def test_an_ado_records_an_agreement_with_its_signed_document(client, ado_a, agency_a, agency_b):
    dataset = DatasetFactory(inventory__agency=agency_a, title="Overdose deaths")
    client.force_login(ado_a)
    document = SimpleUploadedFile("signed.pdf", PDF, "application/pdf")
    response = client.post(
        "/sharing/new/", {**_form([agency_a.pk, agency_b.pk], [dataset.pk]), "document": document}
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response.url == f"/sharing/{agreement.pk}/"
    assert set(agreement.parties.all()) == {agency_a, agency_b}
    assert list(agreement.datasets.all()) == [dataset]
    assert agreement.outside_party_list == ["UConn Health", "Yale School of Public Health"]
    assert agreement.with_opm
    assert agreement.created_by == ado_a
    assert {change.history_user for change in agreement.history.all()} == {ado_a}
    page = client.get(response.url).content.decode()
    assert "Overdose deaths" in page
    assert "Renewable for two years by letter." in page
    download = client.get(f"/sharing/{agreement.pk}/document/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("signed.pdf", b"MZ\x90\x00 an executable", "its content does not match"),
        ("signed.exe", b"MZ\x90\x00", "must be a PDF, Word or OpenDocument file (.pdf"),
        ("signed.pdf", PDF + b"x" * 2048, "larger than"),
    ],
)
def test_a_bad_document_is_refused_and_nothing_is_written(
    client, ado_a, agency_a, settings, name, content, message
):
    settings.CTODP_SHARING_DOCUMENT_MAX_BYTES = 1024
    client.force_login(ado_a)
    upload = SimpleUploadedFile(name, content)
    response = client.post("/sharing/new/", {**_form([agency_a.pk]), "document": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_document_error"' in html
    assert message in html
    assert not Agreement.objects.exists()


def test_an_ado_cannot_record_an_agreement_its_agency_is_not_party_to(client, ado_a, agency_b):
    client.force_login(ado_a)
    response = client.post("/sharing/new/", _form([agency_b.pk]))
    assert "Your agency must be one of the parties." in response.content.decode()
    assert not Agreement.objects.exists()


def test_end_before_start_is_refused(client, ado_a, agency_a):
    client.force_login(ado_a)
    response = client.post("/sharing/new/", _form([agency_a.pk], ends_on="2025-12-31"))
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Agreement.objects.exists()


def test_who_sees_and_who_changes_an_agreement(
    client, agreement, ado_a, viewer_a, ado_b, cdo, dapa, outsider, agency_b
):
    third = AgreementFactory(parties=[agency_b], title="Beta with OPM only")
    expectations = [
        (ado_a, 200, 200),
        (viewer_a, 200, 403),
        (ado_b, 200, 200),
        (cdo, 200, 200),
        (dapa, 200, 403),
        (outsider, 404, 404),
    ]
    for user, read, change in expectations:
        client.force_login(user)
        assert client.get(f"/sharing/{agreement.pk}/").status_code == read, user
        assert client.get(f"/sharing/{agreement.pk}/edit/").status_code == change, user
    client.force_login(ado_a)
    assert client.get(f"/sharing/{third.pk}/").status_code == 404
    listing = client.get("/sharing/").content.decode()
    assert agreement.title in listing
    assert "Beta with OPM only" not in listing
    client.force_login(dapa)
    assert "Beta with OPM only" in client.get("/sharing/").content.decode()
    assert client.get("/sharing/new/").status_code == 403


def _sharing_paths(pk: int) -> list[str]:
    """Every URL of the sharing app and its API, with the agreement's id in it."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
                continue
            ours = entry.callback.__module__.startswith("sharing")
            if isinstance(entry, URLPattern) and ours and "<int:pk>" in route:
                found.append("/" + route.replace("<int:pk>", str(pk)))

    walk(get_resolver().url_patterns, "")
    return found


def test_another_agency_gets_404_on_every_agreement_url(client, agency_a, ado_b):
    document = SimpleUploadedFile("signed.pdf", PDF, "application/pdf")
    alpha_only = AgreementFactory(parties=[agency_a], document=document)
    paths = _sharing_paths(alpha_only.pk)
    assert len(paths) == 4  # detail, edit, document, API detail
    client.force_login(ado_b)
    for path in paths:
        assert client.get(path).status_code == 404, path
        assert client.post(path, _form([agency_a.pk])).status_code in {404, 405}, path
    assert Agreement.objects.get().title == alpha_only.title


def test_the_list_filters_by_agency_status_and_opm(client, dapa, agency_a, agency_b):
    AgreementFactory(parties=[agency_a], title="Alpha with OPM", with_opm=True)
    AgreementFactory(parties=[agency_b], title="Beta draft", status=AgreementStatus.DRAFT)
    client.force_login(dapa)
    html = client.get("/sharing/?agency=alpha").content.decode()
    assert "Alpha with OPM" in html
    assert "Beta draft" not in html
    html = client.get("/sharing/?status=draft").content.decode()
    assert "Beta draft" in html
    assert "Alpha with OPM" not in html
    html = client.get("/sharing/?with_opm=true").content.decode()
    assert "Alpha with OPM" in html
    assert "Beta draft" not in html
