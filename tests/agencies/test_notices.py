"""The notice mechanism (agencies/notices.py, ADR 0019): written with the step, sent after it
commits, never breaking it; once per key; and the ADO designation notices."""

import pytest
from django.core import mail
from django.db import transaction

from agencies import notices, services
from agencies.models import Notice, NoticeStatus
from inventories import services as inventory_services
from inventories.choices import InventoryStatus
from inventories.models import Inventory
from tests.factories import UserFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.notice_mail import check, public_base, recipients  # noqa: F401


def _send(agency, to, **options) -> list[Notice]:
    """A notice with a real context: the agency's current designation."""
    context = {"designation": agency.current_ado(), "previous": None}
    return notices.send("ado_designated", to=to, agency=agency, context=context, **options)


def test_a_rolled_back_step_leaves_no_notice_and_sends_nothing(
    agency_a, ado_a, django_capture_on_commit_callbacks
):
    def step():
        with transaction.atomic():
            _send(agency_a, [ado_a])
            raise RuntimeError("the step failed after the notice was queued")

    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(RuntimeError):
        step()
    assert callbacks == []
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_mail_goes_out_only_after_the_commit(agency_a, ado_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [notice] = _send(agency_a, [ado_a])
    assert mail.outbox == []
    assert Notice.objects.get().status == NoticeStatus.QUEUED
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["alice@ct.example"]]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert notice.sent_at is not None


def test_a_failed_send_keeps_the_step_and_records_the_failure(
    settings, agency_a, ado_a, cdo, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.agencies.failing_mail.EmailBackend"
    inventory = InventoryFactory(agency=agency_a, year=2026)
    DatasetFactory(inventory=inventory)
    with django_capture_on_commit_callbacks(execute=True):
        inventory_services.inventory_submit(
            inventory=inventory, attested_name="Alice", attestation="x", acting_user=ado_a
        )
    assert Inventory.objects.get(pk=inventory.pk).status == InventoryStatus.SUBMITTED
    notice = Notice.objects.get(kind="inventory_submitted")
    assert notice.status == NoticeStatus.FAILED
    assert notice.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert "not sent" in caplog.text


def test_a_keyed_notice_reaches_each_person_once(
    agency_a, ado_a, cdo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(agency_a, [ado_a], key="k1")
        _send(agency_a, [ado_a, cdo], key="k1")
    assert recipients(mail.outbox) == ["alice@ct.example", "cdo@ct.example"]


def test_people_without_an_address_or_inactive_are_skipped(
    agency_a, django_capture_on_commit_callbacks
):
    nobody = UserFactory(username="noaddress", email="")
    gone = UserFactory(username="gone", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(agency_a, [nobody, gone, None]) == []
    assert mail.outbox == []


@pytest.mark.usefixtures("public_base")
def test_designating_an_ado_tells_the_new_ado_the_cdo_and_the_previous_ado(
    agency_a, ado_a, cdo, dapa, django_capture_on_commit_callbacks
):
    new = UserFactory(username="dana", first_name="Dana", last_name="Diaz")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_designate_ado(
            agency=agency_a, user=new, reason="Alice moved to DOT.", acting_user=cdo
        )
    assert recipients(mail.outbox) == ["alice@ct.example", "cdo@ct.example", "dana@ct.example"]
    to_new = next(m for m in mail.outbox if m.to == ["dana@ct.example"])
    check(
        to_new,
        subject="Agency Data Officer designated: Department of Alpha",
        line="Dana Diaz is now the Agency Data Officer of Department of Alpha, replacing "
        "Alice Adams.",
        path="/agencies/alpha/",
    )
    assert "What happens next: you file the agency's annual" in to_new.body
    to_cdo = next(m for m in mail.outbox if m.to == ["cdo@ct.example"])
    assert "Reason: Alice moved to DOT." in to_cdo.body
    assert "What happens next" not in to_cdo.body
