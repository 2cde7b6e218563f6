"""The public data request form (ADR 0027), as a visitor of the catalog and as the agency's
data officer use it: the form, the log, the receipt, the private status page, the limits."""

import datetime
import hashlib
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from inventories.choices import InventoryStatus
from program.models import Channel, DataRequest, RequestStatus, Topic
from tests.inventories.factories import DatasetFactory, InventoryFactory

MOMENT = datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(MOMENT)]

INJECTION = "<script>alert('x')</script> \"; DROP TABLE program_datarequest; --"
FORM = {
    "topic": Topic.REQUEST,
    "summary": "Bridge inspections by town, 2010 onward",
    "details": "As CSV, please.",
    "requester_type": "researcher",
    "requester_name": "Dana Diaz",
    "requester_email": "dana@example.org",
    "website": "",
}
STATUS_LINK = re.compile(r"http://[^\s\"<]+/catalog/requests/([\w-]+)/")


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bridges(agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2025, status=InventoryStatus.ACCEPTED)
    return DatasetFactory(inventory=inventory, title="Bridge inspections")


def _status_path(message) -> str:
    return STATUS_LINK.search(message.body)[0].removeprefix(settings.CTODP_PUBLIC_BASE_URL)


def test_a_request_about_a_dataset_lands_in_its_agency_log_with_a_receipt(client, bridges, ado_a):
    response = client.post(f"/catalog/datasets/{bridges.uid}/request/", FORM)

    entry = DataRequest.objects.get()
    assert (entry.agency, entry.dataset, entry.channel) == (
        bridges.agency,
        bridges,
        Channel.PUBLIC_FORM,
    )
    assert entry.received_on == datetime.date(2026, 3, 2)
    assert entry.due_date == datetime.date(2026, 3, 16)  # CTODP_PUBLIC_REQUEST_DUE_DAYS = 14
    assert (entry.requester_email, entry.requester_type) == ("dana@example.org", "researcher")
    [receipt] = mail.outbox
    assert receipt.to == ["dana@example.org"]
    assert receipt.subject == "Your data request to Department of Alpha was received"
    [(html, kind)] = receipt.alternatives
    assert kind == "text/html"
    path = _status_path(receipt)
    assert path in html
    assert response.status_code == 302
    assert response.url == path
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    # Only its hash is kept: the database alone gives no working link.
    assert entry.status_token_hash == hashlib.sha256(token.encode()).hexdigest()

    client.force_login(ado_a)
    log = client.get("/dashboard/agencies/alpha/requests/").content.decode()
    assert "Bridge inspections by town, 2010 onward" in log
    assert "Request for data, public form" in log


def test_a_general_request_goes_to_the_chosen_agency(client, agency_a, agency_b):
    response = client.post("/catalog/request/", {**FORM, "agency": agency_b.pk})
    assert response.status_code == 302
    entry = DataRequest.objects.get()
    assert (entry.agency, entry.dataset) == (agency_b, None)
    assert mail.outbox[0].subject.endswith("to Department of Beta was received")


def test_the_status_page_shows_status_and_public_reply_never_the_internal_note(client, bridges):
    client.post(f"/catalog/datasets/{bridges.uid}/request/", FORM)
    path = _status_path(mail.outbox[0])
    DataRequest.objects.update(
        status=RequestStatus.FULFILLED,
        responded_on=datetime.date(2026, 3, 2),
        public_reply="Published at data.ct.gov/d/abcd-1234.",
        internal_note="Requester is a frequent caller; check with legal.",
    )
    response = Client().get(path)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    html = response.content.decode()
    assert "Fulfilled" in html
    assert "Published at data.ct.gov/d/abcd-1234." in html
    assert "frequent caller" not in html
    assert Client().get(path.replace("/requests/", "/requests/x")).status_code == 404
    assert Client().get("/catalog/requests/not-a-token/").status_code == 404


def test_injection_strings_are_stored_as_given_and_shown_escaped(client, bridges, ado_a):
    client.post(
        f"/catalog/datasets/{bridges.uid}/request/",
        {**FORM, "summary": INJECTION, "details": INJECTION, "requester_name": INJECTION},
    )
    entry = DataRequest.objects.get()
    assert entry.summary == entry.details == entry.requester_name == INJECTION
    status = client.get(_status_path(mail.outbox[0])).content.decode()
    client.force_login(ado_a)
    log = client.get("/dashboard/agencies/alpha/requests/").content.decode()
    edit = client.get(f"/dashboard/agencies/alpha/requests/{entry.pk}/edit/").content.decode()
    for html in (status, log, edit, mail.outbox[0].alternatives[0][0]):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_bad_input_names_the_field_and_writes_nothing(client, bridges):
    response = client.post(
        f"/catalog/datasets/{bridges.uid}/request/",
        {**FORM, "requester_email": "not an address", "summary": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_requester_email_error"' in html
    assert 'id="id_summary_error"' in html
    assert not DataRequest.objects.exists()
    assert mail.outbox == []


def test_a_general_request_needs_an_agency(client, agency_a):
    response = client.post("/catalog/request/", FORM)
    assert response.status_code == 400
    assert 'id="id_agency_error"' in response.content.decode()
    assert not DataRequest.objects.exists()


def test_the_form_is_csrf_protected(bridges):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(f"/catalog/datasets/{bridges.uid}/request/", FORM)
    assert response.status_code == 403
    assert not DataRequest.objects.exists()


def test_a_robot_that_fills_the_trap_is_thanked_and_nothing_is_kept(client, bridges):
    response = client.post(
        f"/catalog/datasets/{bridges.uid}/request/", {**FORM, "website": "http://spam.example"}
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert not DataRequest.objects.exists()
    assert mail.outbox == []


def test_each_address_may_send_only_the_limit_per_hour(client, bridges, settings):
    settings.CTODP_PUBLIC_REQUEST_LIMIT = 2
    url = f"/catalog/datasets/{bridges.uid}/request/"
    for _ in range(2):
        assert client.post(url, FORM).status_code == 302
    response = client.post(url, FORM)
    assert response.status_code == 429
    assert "Too many requests were sent from your address" in response.content.decode()
    assert DataRequest.objects.count() == 2
    assert len(mail.outbox) == 2
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(url, FORM).status_code == 302


def test_a_dataset_not_in_the_catalog_has_no_form(client, agency_a):
    draft = DatasetFactory(inventory__agency=agency_a)
    assert client.get(f"/catalog/datasets/{draft.uid}/request/").status_code == 404


def test_the_catalog_pages_link_to_the_forms(client, bridges):
    assert "/catalog/request/" in client.get("/catalog/").content.decode()
    page = client.get(f"/catalog/datasets/{bridges.uid}/").content.decode()
    assert f"/catalog/datasets/{bridges.uid}/request/" in page


def test_a_general_request_cannot_go_to_an_inactive_agency(client, agency_a):
    agency_a.is_active = False
    agency_a.save()
    response = client.post("/catalog/request/", {**FORM, "agency": agency_a.pk})
    assert response.status_code == 400
    assert 'id="id_agency_error"' in response.content.decode()
    assert not DataRequest.objects.exists()
