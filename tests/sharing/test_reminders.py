"""Reminders before an agreement ends (ADR 0026): 60 and 30 days before, to each party's ADO,
once per lead time and end date; then the agreement is marked expired."""

import datetime

import pytest
from django.core import mail

from sharing import reminders, tasks
from sharing.models import AgreementStatus, ExpiryReminder
from tests.sharing.factories import AgreementFactory

MOMENT = datetime.datetime(2026, 6, 1, 14, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(MOMENT)]
D = datetime.date


@pytest.fixture
def ending(agency_a, agency_b, ado_a, ado_b):
    return AgreementFactory(
        parties=[agency_a, agency_b], title="Overdose surveillance", ends_on=D(2026, 7, 31)
    )


def test_the_60_day_reminder_goes_to_each_party_ado_once(ending, ado_a, ado_b):
    assert reminders.send_expiry_reminders() == 1  # 2026-06-01: 60 days before July 31
    [message] = mail.outbox
    assert sorted(message.to) == sorted([ado_a.email, ado_b.email])
    assert message.subject == "Data sharing agreement ends in 60 days: Overdose surveillance"
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert f"/sharing/{ending.pk}/" in message.body
    assert f"/sharing/{ending.pk}/" in html

    assert reminders.send_expiry_reminders() == 0
    assert reminders.send_expiry_reminders(D(2026, 6, 15)) == 0  # still only the 60-day one due
    assert len(mail.outbox) == 1


def test_the_30_day_reminder_follows_and_a_renewal_starts_over(ending):
    reminders.send_expiry_reminders()
    assert reminders.send_expiry_reminders(D(2026, 7, 1)) == 1
    assert mail.outbox[-1].subject.startswith("Data sharing agreement ends in 30 days")
    assert reminders.send_expiry_reminders(D(2026, 7, 2)) == 0

    ending.ends_on = D(2026, 8, 31)  # renewed: a new end date, new reminders
    ending.save()
    assert reminders.send_expiry_reminders(D(2026, 7, 2)) == 1
    assert mail.outbox[-1].subject.startswith("Data sharing agreement ends in 60 days")
    assert ExpiryReminder.objects.count() == 3


def test_a_late_first_run_sends_the_nearest_notice_only(agency_a, ado_a):
    AgreementFactory(parties=[agency_a], ends_on=D(2026, 6, 21))  # 20 days left, none sent yet
    assert reminders.send_expiry_reminders() == 1
    assert mail.outbox[0].subject.startswith("Data sharing agreement ends in 20 days")
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [30]
    assert reminders.send_expiry_reminders() == 0


def test_no_reminder_for_drafts_far_ends_open_ends_or_past_ends(agency_a, ado_a):
    AgreementFactory(parties=[agency_a], ends_on=D(2026, 7, 1), status=AgreementStatus.DRAFT)
    AgreementFactory(parties=[agency_a], ends_on=D(2026, 12, 31))
    AgreementFactory(parties=[agency_a], ends_on=None)
    AgreementFactory(parties=[agency_a], ends_on=D(2026, 5, 31))
    assert reminders.send_expiry_reminders() == 0
    assert mail.outbox == []


def test_the_reminder_days_are_a_setting(ending, settings):
    settings.CTODP_SHARING_REMINDER_DAYS = [90, 7]
    assert reminders.send_expiry_reminders() == 1
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [90]


def test_the_daily_task_sends_and_marks_ended_agreements_expired(ending, agency_a, ado_a):
    ended = AgreementFactory(parties=[agency_a], ends_on=D(2026, 5, 31))
    assert ended.effective_status() == AgreementStatus.EXPIRED
    assert tasks.agreement_expiry.delay().get() == {"reminders": 1, "expired": 1}
    ended.refresh_from_db()
    assert ended.status == AgreementStatus.EXPIRED
    assert ended.history.first().status == AgreementStatus.EXPIRED
    ending.refresh_from_db()
    assert ending.status == AgreementStatus.IN_FORCE
