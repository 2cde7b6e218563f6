"""Reminders by beat, with a frozen clock: once per condition, never resent, opt-outs respected.

The inventory of the world (alpha, beta) is due on 2026-12-31 (settings default)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from access_plans.choices import PlanStatus
from access_plans.models import AccessPlan
from inventories.choices import InventoryStatus
from inventories.models import Inventory
from program.models import ReminderKind, ReminderOptOut, ReminderSent
from program.tasks import send_reminders
from tests.factories import MembershipFactory, UserFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.program.conftest import WORLD_DAY, add_publication, retire_ferries

# One clock for the world and the test (tests/clock.py): the day its figures are known for.
pytestmark = pytest.mark.clock(WORLD_DAY)


def at(year: int, month: int, day: int):
    return time_machine.travel(
        datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture
def draft_a(agency_a, ado_a):
    """Alpha's 2026 inventory, still a draft; nothing else that could remind anyone."""
    return InventoryFactory(agency=agency_a, year=2026)


def _subjects(to: str) -> list[str]:
    return sorted(message.subject for message in mail.outbox if to in message.to)


def test_inventory_due_in_30_then_7_then_overdue_each_once(draft_a, ado_a):
    with at(2026, 11, 1):  # 60 days left: nothing
        assert send_reminders() == 0
    with at(2026, 12, 2):  # 29 days left
        assert send_reminders() == 1
        assert send_reminders() == 0  # the next beat does not resend
    with at(2026, 12, 3):
        assert send_reminders() == 0
    with at(2026, 12, 25):  # 6 days left
        assert send_reminders() == 1
    with at(2027, 1, 1):  # overdue
        assert send_reminders() == 1
        assert send_reminders() == 0
    assert _subjects("alice@ct.example") == [
        "Inventory due in 30 days: Department of Alpha — 2026 inventory",
        "Inventory due in 7 days: Department of Alpha — 2026 inventory",
        "Inventory overdue: Department of Alpha — 2026 inventory",
    ]
    kinds = ReminderSent.objects.filter(user=ado_a).values_list("kind", flat=True)
    assert set(kinds) == {"inventory_due_30", "inventory_due_7", "inventory_overdue"}


def test_first_beat_inside_7_days_sends_only_the_7_day_notice(draft_a):
    with at(2026, 12, 28):
        send_reminders()
    assert _subjects("alice@ct.example") == [
        "Inventory due in 7 days: Department of Alpha — 2026 inventory"
    ]


def test_submitted_inventory_is_not_reminded(draft_a):
    Inventory.objects.filter(pk=draft_a.pk).update(status=InventoryStatus.SUBMITTED)
    with at(2026, 12, 28):
        assert send_reminders() == 0


def test_opt_out_of_optional_reminders_is_respected(draft_a, ado_a):
    ReminderOptOut.objects.create(user=ado_a, kind=ReminderKind.INVENTORY_DUE_7)
    with at(2026, 12, 28):
        assert send_reminders() == 0
    with at(2027, 1, 2):  # overdue is not optional
        assert send_reminders() == 1
    assert _subjects("alice@ct.example") == [
        "Inventory overdue: Department of Alpha — 2026 inventory"
    ]


def test_only_the_agencys_ado_gets_filing_reminders(draft_a, publisher_a, ado_b):
    with at(2026, 12, 28):
        send_reminders()
    assert sorted((m.to, m.subject) for m in mail.outbox) == [
        (["alice@ct.example"], "Inventory due in 7 days: Department of Alpha — 2026 inventory"),
        # Beta has no 2026 inventory row at all: its own ADO is told to start one.
        (
            ["charlie@ct.example"],
            "Inventory due in 7 days: Department of Beta — 2026 inventory (not started)",
        ),
    ]


def test_plan_changes_requested_once_per_return(world, ado_a):
    plan = AccessPlan.objects.get(agency__slug="alpha")
    AccessPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.CHANGES_REQUESTED, review_comment="Add target dates.", version=1
    )
    Inventory.objects.update(status=InventoryStatus.ACCEPTED)
    with at(2026, 11, 23):
        send_reminders()
        send_reminders()
    returned = [m for m in mail.outbox if m.subject.startswith("Changes requested")]
    assert len(returned) == 1
    assert "Add target dates." in returned[0].body
    AccessPlan.objects.filter(pk=plan.pk).update(version=2)  # resubmitted and returned again
    with at(2026, 11, 30):
        send_reminders()
    assert len([m for m in mail.outbox if m.subject.startswith("Changes requested")]) == 2


def test_publication_failure_and_staleness_reach_ado_and_publishers(world, publisher_a):
    with at(2026, 11, 23) as clock:
        send_reminders()
        subjects = _subjects("bob@ct.example")
        assert "Publication failed: Bridges" in subjects
        assert "Dataset is stale: Tunnels" in subjects
        assert "Publication failed: Bridges" in _subjects("alice@ct.example")
        count = len(mail.outbox)
        clock.shift(datetime.timedelta(days=1))
        send_reminders()
        later = [message.subject for message in mail.outbox[count:]]
        assert not [s for s in later if s.startswith(("Publication failed", "Dataset is stale"))]


def test_staleness_is_optional_failure_is_not(world, publisher_a):
    ReminderOptOut.objects.create(user=publisher_a, kind=ReminderKind.DATASET_STALE)
    with at(2026, 11, 23):
        send_reminders()
    assert "Dataset is stale: Tunnels" not in _subjects("bob@ct.example")
    assert "Publication failed: Bridges" in _subjects("bob@ct.example")


def test_retirement_deadline_within_a_week(world, ado_a, publisher_a):
    retire_ferries(ado_a)
    Inventory.objects.update(status=InventoryStatus.ACCEPTED)
    with at(2026, 11, 20):  # Ferries 1990 retires by 2026-12-01: 11 days away
        send_reminders()
        assert not [m for m in mail.outbox if m.subject.startswith("Retirement")]
    with at(2026, 11, 25):
        send_reminders()
    assert _subjects("alice@ct.example").count("Retirement deadline 2026-12-01: Ferries 1990") == 1
    assert "Retirement deadline 2026-12-01: Ferries 1990" in _subjects(publisher_a.email)


def test_people_without_email_are_skipped(agency_a):
    user = UserFactory(username="nomail", email="")
    MembershipFactory(user=user, agency=agency_a, role="ado")
    InventoryFactory(agency=agency_a, year=2026)
    with at(2026, 12, 28):
        assert send_reminders() == 0
    assert not ReminderSent.objects.exists()


def test_each_user_sees_what_was_sent_and_turns_off_optional_ones(client, draft_a, ado_a):
    with at(2026, 12, 28):
        send_reminders()
    client.force_login(ado_a)
    url = reverse("reminders:mine")
    response = client.get(url)
    assert [r.subject for r in response.context["sent"]] == [
        "Inventory due in 7 days: Department of Alpha — 2026 inventory"
    ]
    client.post(url, {"wanted": ["inventory_due_30"]})
    off = set(ado_a.reminder_opt_outs.values_list("kind", flat=True))
    assert off == {"inventory_due_7", "dataset_stale"}
    client.post(url, {"wanted": ["inventory_due_7", "dataset_stale", "inventory_due_30"]})
    assert not ado_a.reminder_opt_outs.exists()


def test_reminders_page_shows_only_ones_own(client, draft_a, ado_b):
    with at(2026, 12, 28):
        send_reminders()
    client.force_login(ado_b)
    sent = client.get(reverse("reminders:mine")).context["sent"]
    assert [reminder.subject for reminder in sent] == [
        "Inventory due in 7 days: Department of Beta — 2026 inventory (not started)"
    ]


def test_going_stale_warns_once_before_it_is_stale(agency_a, ado_a):
    """Monthly (31 days): the warning comes in the last fifth of the interval, and the same
    staleness episode does not send a second e-mail when it turns stale."""
    inventory = InventoryFactory(agency=agency_a, year=2026, status=InventoryStatus.ACCEPTED)
    dataset = DatasetFactory(inventory=inventory, title="Roads", update_frequency="Monthly")
    with at(2026, 3, 1):
        add_publication(dataset, ado_a, status="succeeded", days_ago=0, portal_id="road-0001")
    with at(2026, 3, 20):  # 19 days: fresh
        assert send_reminders() == 0
    with at(2026, 3, 27):  # 26 days: going stale
        assert send_reminders() == 1
    with at(2026, 4, 10):  # stale now, same episode
        assert send_reminders() == 0
    assert _subjects("alice@ct.example") == ["Dataset going stale: Roads"]
    assert "is due by April 1, 2026" in mail.outbox[0].body


# --- agencies no one would hear about, and overdue data requests (issue #16) ----------------


def test_agencies_without_an_ado_go_to_the_cdo_and_dapa_once_a_stage(draft_a, agency_b, cdo, dapa):
    """Beta has no ADO and no inventory row: the staff hear of it, at each stage once (with the
    agencies of the official list, which have none here either)."""
    from agencies.models import Agency

    without = Agency.objects.filter(is_active=True).exclude(pk=draft_a.agency_id).count()
    with at(2026, 12, 2):
        send_reminders()
        send_reminders()
    staff = [m for m in mail.outbox if m.to != ["alice@ct.example"]]
    assert sorted(m.to[0] for m in staff) == ["cdo@ct.example", "dapa@ct.example"]
    assert staff[0].subject == (
        f"Inventory due in 30 days: {without} agencies have no ADO (2026 inventory)"
    )
    assert "- Department of Beta has no ADO" in staff[0].body
    assert "Department of Alpha" not in staff[0].body
    with at(2027, 1, 1):
        send_reminders()
    assert _subjects("cdo@ct.example")[-1] == (
        f"Inventory overdue: {without} agencies have no ADO (2026 inventory)"
    )


def test_an_agency_that_filed_is_not_listed_even_without_an_ado(agency_a, agency_b, cdo):
    InventoryFactory(agency=agency_b, year=2026, status=InventoryStatus.SUBMITTED)
    with at(2026, 12, 2):
        send_reminders()
    [digest] = mail.outbox
    assert "Department of Alpha has no ADO" in digest.body
    assert "Beta" not in digest.body


def _request(agency, **fields):
    from program.models import DataRequest

    return DataRequest.objects.create(
        agency=agency,
        requester_type="media",
        summary=fields.pop("summary", "Overdose deaths by town"),
        received_on=fields.pop("received_on", datetime.date(2026, 11, 2)),
        due_date=fields.pop("due_date", datetime.date(2026, 11, 20)),
        **fields,
    )


def test_overdue_data_requests_remind_the_ado_once_a_day(agency_a, ado_a, publisher_a, settings):
    settings.CTODP_PUBLIC_BASE_URL = "https://ctodp.example.gov"
    Inventory.objects.create(agency=agency_a, year=2026, status="accepted", due_date="2026-12-31")
    _request(agency_a)
    _request(agency_a, summary="Answered", status="fulfilled", responded_on="2026-11-10")
    with at(2026, 11, 20):  # due today: not overdue yet
        assert send_reminders() == 0
    with at(2026, 11, 21):
        assert send_reminders() == 1
        assert send_reminders() == 0  # the hourly beat does not resend it the same day
    with at(2026, 11, 22):
        assert send_reminders() == 1
    assert [m.to for m in mail.outbox] == [["alice@ct.example"]] * 2
    message = mail.outbox[0]
    assert message.subject == "Data requests overdue: Department of Alpha (1)"
    assert "due November 20, 2026: Overdose deaths by town" in message.body
    assert "Answered" not in message.body
    assert "https://ctodp.example.gov/dashboard/agencies/alpha/requests/" in message.body


def test_every_demo_agency_is_reminded_or_listed(cdo):
    """seed_demo's 43 agencies: each one that has not filed reaches its ADO or the staff list."""
    from django.core.management import call_command

    from agencies.models import Agency

    with at(2026, 12, 2):
        call_command("seed_demo")
        send_reminders()
    agencies = Agency.objects.active()
    assert agencies.count() == 43
    filed = set(
        Inventory.objects.filter(year=2026, status__in=["submitted", "accepted"]).values_list(
            "agency__name", flat=True
        )
    )
    reminded = set()
    for reminder in ReminderSent.objects.select_related("user"):
        for agency in agencies:
            if reminder.subject.endswith(f"{agency.name} — 2026 inventory") or (
                reminder.subject.endswith(f"{agency.name} — 2026 inventory (not started)")
            ):
                reminded.add(agency.name)
            if f"- {agency.name} has no ADO\n" in reminder.body + "\n":
                reminded.add(agency.name)
    assert reminded | filed == {agency.name for agency in agencies}
    assert len(reminded) >= 40


def test_a_private_publication_whose_run_succeeded_waits_for_the_reviewers(
    agency_a, ado_a, publisher_a, cdo, dapa, portal_admin
):
    from publishing.models import Publication, PublicationRun

    inventory = InventoryFactory(agency=agency_a, year=2026, status=InventoryStatus.ACCEPTED)
    dataset = DatasetFactory(inventory=inventory, title="Roads", update_frequency="Annually")
    publication = add_publication(
        dataset, publisher_a, status="succeeded", days_ago=0, portal_id="road-0001"
    )
    assert send_reminders() == 2
    assert send_reminders() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["cdo@ct.example", "portal@ct.example"]
    message = mail.outbox[0]
    assert message.subject == "Ready to be made public: Roads (Department of Alpha)"
    assert f"/publishing/{publication.pk}/" in message.body
    run = PublicationRun.objects.create(publication=publication, status="succeeded")
    Publication.objects.filter(pk=publication.pk).update(last_run=run)
    assert send_reminders() == 2  # a new run: reminded again
    Publication.objects.filter(pk=publication.pk).update(visibility="public")
    run = PublicationRun.objects.create(publication=publication, status="succeeded")
    Publication.objects.filter(pk=publication.pk).update(last_run=run)
    assert send_reminders() == 0
