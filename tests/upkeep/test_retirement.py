"""Retirement on the sandbox portal with a frozen clock: the notice, day 29, day 30, the 7-day
path, cancel, portal failures (ADR 0010)."""

import datetime

import pytest
import requests
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from sodapy import Socrata

from publishing import services
from publishing.models import Visibility
from tests.notice_mail import check, public_base, recipients  # noqa: F401
from tests.publishing.helpers import ocme_dataset, ready_publication, record_screen
from tests.sandbox import inject
from upkeep import retirement as retire
from upkeep.models import Retirement, RetirementStatus

T0 = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def public(portal_settings, sandbox, clock, agency_a, publisher_a, cdo, capture_on_commit):
    """A publication pushed and made public at T0."""
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    with capture_on_commit(execute=True):
        services.run_start(publication=publication, acting_user=publisher_a)
    publication.refresh_from_db()
    record_screen(publication)
    return services.publication_make_public(publication=publication, acting_user=cdo)


@pytest.fixture
def capture_on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def _start(publication, user, capture, **extra) -> Retirement:
    data = {"criterion": "replaced", "reason": "Replaced by the 2012-2024 edition.", **extra}
    with capture(execute=True):
        retirement = retire.retirement_start(publication=publication, acting_user=user, **data)
    retirement.refresh_from_db()
    return retirement


def _cancel(retirement, user, capture) -> Retirement:
    with capture(execute=True):
        retire.retirement_cancel(retirement=retirement, acting_user=user)
    retirement.refresh_from_db()
    return retirement


def _view(soda: Socrata, publication) -> dict:
    return soda.get_metadata(publication.portal_id)


def _anonymous_status(sandbox, publication) -> int:
    return requests.get(
        f"{sandbox.url}/resource/{publication.portal_id}.json", timeout=5
    ).status_code


def _owned(view: dict) -> dict:
    return {key: view.get(key) for key in ("name", "tags", "description")}


def test_the_notice_then_day_29_public_then_day_30_private(
    public, soda, sandbox, clock, publisher_a, capture_on_commit, client
):
    before = _owned(_view(soda, public))
    clock.move_to(T0 + 10 * DAY)

    retirement = _start(public, publisher_a, capture_on_commit, superseded_by="abcd-2024")

    assert retirement.status == RetirementStatus.NOTICE_POSTED, retirement.error
    assert not retirement.immediate
    assert retirement.due_at == T0 + 40 * DAY
    view = _view(soda, public)
    assert view["name"] == "ARCHIVE: Accidental Drug Related Deaths 2012-2018"
    assert view["tags"] == [*before["tags"], "archive"]
    notice, rest = view["description"].split("\n\n", 1)
    assert notice.startswith("ARCHIVE NOTICE: this asset is being retired")
    assert "removed from public view on April 11, 2026" in notice
    assert "superseded by https://" in notice
    assert "/d/abcd-2024" in notice
    assert rest == before["description"]
    assert "being retired" in retire.push_blocker(public)

    clock.move_to(T0 + 39 * DAY)  # day 29 of the notice
    retire.retirements_tick()
    retirement.refresh_from_db()
    assert retirement.status == RetirementStatus.NOTICE_POSTED
    assert _anonymous_status(sandbox, public) == 200

    clock.move_to(T0 + 40 * DAY + datetime.timedelta(minutes=5))  # day 30: the hourly beat
    assert retire.retirements_tick() == [retirement.pk]
    retirement.refresh_from_db()
    public.refresh_from_db()
    assert retirement.status == RetirementStatus.RETIRED
    assert retirement.made_private_at == T0 + 40 * DAY + datetime.timedelta(minutes=5)
    assert public.visibility == Visibility.PRIVATE
    assert "made private" in retire.push_blocker(public)
    assert _anonymous_status(sandbox, public) == 403
    assert _view(soda, public)["name"].startswith("ARCHIVE: ")  # private keeps the notice

    page = client.get("/catalog/retired/").content.decode()
    assert "Accidental Drug Related Deaths 2012-2018" in page
    assert "Made private on 2026-04-11" in page
    assert "Replaced by the 2012-2024 edition." in page
    assert retire.retirements_tick() == []  # nothing left to do


def test_an_asset_public_for_less_than_7_days_goes_private_at_once(
    public, soda, sandbox, clock, ado_a, capture_on_commit
):
    clock.move_to(T0 + 6 * DAY)

    retirement = _start(public, ado_a, capture_on_commit, criterion="mistake")

    assert retirement.immediate
    assert retirement.status == RetirementStatus.RETIRED, retirement.error
    assert retirement.made_private_at == T0 + 6 * DAY
    assert _view(soda, public)["name"].startswith("ARCHIVE: ")
    assert "removed from public view on March 8, 2026" in _view(soda, public)["description"]
    assert _anonymous_status(sandbox, public) == 403


def test_seven_days_after_going_public_the_notice_period_applies(
    public, clock, ado_a, capture_on_commit
):
    clock.move_to(T0 + 7 * DAY)
    retirement = _start(public, ado_a, capture_on_commit)
    assert not retirement.immediate
    assert retirement.status == RetirementStatus.NOTICE_POSTED


def test_cancel_restores_the_exact_title_tags_and_description(
    public, soda, sandbox, clock, publisher_a, ado_a, capture_on_commit
):
    before = _owned(_view(soda, public))
    clock.move_to(T0 + 12 * DAY)
    retirement = _start(public, publisher_a, capture_on_commit)
    assert _owned(_view(soda, public)) != before

    clock.move_to(T0 + 20 * DAY)
    retirement = _cancel(retirement, ado_a, capture_on_commit)

    assert retirement.status == RetirementStatus.CANCELLED, retirement.error
    assert retirement.cancelled_by == ado_a
    assert retirement.restored_at == T0 + 20 * DAY
    assert _owned(_view(soda, public)) == before
    clock.move_to(T0 + 60 * DAY)
    retire.retirements_tick()
    assert _anonymous_status(sandbox, public) == 200  # never made private
    assert retire.push_blocker(public) == ""
    # A cancelled retirement does not block a new one.
    assert _start(public, publisher_a, capture_on_commit).status == RetirementStatus.NOTICE_POSTED


def test_a_retired_asset_cannot_be_cancelled_or_retired_again(
    public, clock, ado_a, capture_on_commit
):
    clock.move_to(T0 + 1 * DAY)
    retirement = _start(public, ado_a, capture_on_commit)
    assert retirement.status == RetirementStatus.RETIRED
    with pytest.raises(ValidationError, match="not yet private"):
        retire.retirement_cancel(retirement=retirement, acting_user=ado_a)
    public.refresh_from_db()
    with pytest.raises(ValidationError, match="Only a public asset"):
        retire.retirement_start(
            publication=public, acting_user=ado_a, criterion="outdated", reason="x"
        )


def test_a_retiring_publication_refuses_new_runs(public, clock, publisher_a, capture_on_commit):
    clock.move_to(T0 + 10 * DAY)
    _start(public, publisher_a, capture_on_commit)
    with pytest.raises(ValidationError, match="being retired"):
        services.run_start(publication=public, acting_user=publisher_a)


def test_a_portal_failure_on_the_notice_is_recorded_and_retried_by_the_beat(
    public, soda, sandbox, clock, publisher_a, capture_on_commit
):
    before = _owned(_view(soda, public))
    clock.move_to(T0 + 10 * DAY)
    inject(sandbox, status=503, count=5, path_prefix="/api/views/", method="PUT")

    retirement = _start(public, publisher_a, capture_on_commit)

    assert retirement.status == RetirementStatus.FAILED
    assert retirement.error.startswith("Posting the notice failed:")
    assert "503" in retirement.error
    assert retirement.attempts == 1
    assert _owned(_view(soda, public)) == before  # nothing half-applied
    assert "being retired" in retire.push_blocker(public)

    clock.move_to(T0 + 10 * DAY + datetime.timedelta(hours=1))
    retire.retirements_tick()
    retirement.refresh_from_db()
    assert retirement.status == RetirementStatus.NOTICE_POSTED
    assert retirement.error == ""
    assert retirement.due_at == T0 + 40 * DAY + datetime.timedelta(hours=1)
    assert _view(soda, public)["name"].startswith("ARCHIVE: ")


def test_a_failure_to_make_private_keeps_it_public_until_the_next_tick(
    public, sandbox, clock, publisher_a, capture_on_commit
):
    clock.move_to(T0 + 10 * DAY)
    retirement = _start(public, publisher_a, capture_on_commit)
    clock.move_to(T0 + 41 * DAY)
    inject(sandbox, status=500, count=5, path_prefix="/api/views/", method="PUT")

    retire.retirements_tick()

    retirement.refresh_from_db()
    assert retirement.status == RetirementStatus.FAILED
    assert retirement.error.startswith("Making the asset private failed:")
    assert _anonymous_status(sandbox, public) == 200
    retire.retirements_tick()
    retirement.refresh_from_db()
    assert retirement.status == RetirementStatus.RETIRED
    assert _anonymous_status(sandbox, public) == 403


def test_a_notice_applied_but_unanswered_is_still_restored_exactly_on_cancel(
    public, soda, sandbox, clock, publisher_a, capture_on_commit
):
    """The portal applied the notice and the answers were lost: the originals were saved
    before the write, so cancelling restores them, not the notice."""
    before = _owned(_view(soda, public))
    clock.move_to(T0 + 10 * DAY)
    inject(sandbox, status=502, count=5, after=True, path_prefix="/api/views/", method="PUT")
    retirement = _start(public, publisher_a, capture_on_commit)
    assert retirement.status == RetirementStatus.FAILED
    assert _view(soda, public)["name"].startswith("ARCHIVE: ")  # applied, unanswered

    retirement = _cancel(retirement, publisher_a, capture_on_commit)

    assert retirement.status == RetirementStatus.CANCELLED, retirement.error
    assert _owned(_view(soda, public)) == before
    assert _anonymous_status(sandbox, public) == 200


def test_a_failed_restore_stays_visible_and_the_beat_never_makes_it_private(
    public, soda, sandbox, clock, publisher_a, capture_on_commit
):
    before = _owned(_view(soda, public))
    clock.move_to(T0 + 10 * DAY)
    retirement = _start(public, publisher_a, capture_on_commit)
    inject(sandbox, status=503, count=5, path_prefix="/api/views/", method="PUT")

    retirement = _cancel(retirement, publisher_a, capture_on_commit)

    assert retirement.status == RetirementStatus.FAILED
    assert retirement.error.startswith("Restoring the original metadata failed:")
    clock.move_to(T0 + 45 * DAY)  # past the due date: the pending cancel wins
    retire.retirements_tick()
    retirement.refresh_from_db()
    assert retirement.status == RetirementStatus.CANCELLED
    assert _owned(_view(soda, public)) == before
    assert _anonymous_status(sandbox, public) == 200


def test_who_may_retire(public, viewer_a, ado_b, dapa, portal_admin, capture_on_commit):
    for person in (viewer_a, ado_b, dapa):
        with pytest.raises(PermissionDenied):
            retire.retirement_start(
                publication=public, acting_user=person, criterion="outdated", reason="Old."
            )
    assert _start(public, portal_admin, capture_on_commit).started_by == portal_admin


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"criterion": "because"}, "criterion"),
        ({"reason": "  "}, "reason"),
        ({"superseded_by": "not a link"}, "superseded_by"),
        ({"archive_url": "not a url"}, "archive_url"),
    ],
)
def test_bad_input_names_the_field(public, ado_a, extra, field):
    data = {"criterion": "outdated", "reason": "Old.", **extra}
    with pytest.raises(ValidationError) as caught:
        retire.retirement_start(publication=public, acting_user=ado_a, **data)
    assert field in caught.value.message_dict
    assert not Retirement.objects.exists()


def test_a_claimed_retirement_is_left_alone_until_the_claim_is_stale(
    public, clock, publisher_a, capture_on_commit
):
    """The task after start and the beat tick never do one retirement's steps side by side;
    a worker that died holding the claim frees it after 15 minutes."""
    clock.move_to(T0 + 10 * DAY)
    with capture_on_commit(execute=False):
        retirement = retire.retirement_start(
            publication=public, acting_user=publisher_a, criterion="outdated", reason="Old."
        )
    Retirement.objects.filter(pk=retirement.pk).update(claimed_at=T0 + 10 * DAY)

    assert retire.retirement_advance(retirement.pk).status == RetirementStatus.REQUESTED
    clock.move_to(T0 + 10 * DAY + datetime.timedelta(minutes=16))
    advanced = retire.retirement_advance(retirement.pk)
    assert advanced.status == RetirementStatus.NOTICE_POSTED
    assert advanced.claimed_at is None


# --- notices (ADR 0019): the ADO, the CDO and whoever acted are told ---------------------

OCME_TITLE = "Accidental Drug Related Deaths 2012-2018"


@pytest.mark.usefixtures("public_base")
def test_starting_a_retirement_tells_the_ado_the_cdo_and_the_publisher(
    public, publisher_a, ado_a, capture_on_commit, clock
):
    clock.move_to(T0 + 10 * DAY)
    mail.outbox.clear()
    _start(public, publisher_a, capture_on_commit)
    started = [m for m in mail.outbox if m.subject.startswith("Retirement started")]
    assert recipients(started) == ["alice@ct.example", "bob@ct.example", "cdo@ct.example"]
    check(
        started[0],
        subject=f"Retirement started: {OCME_TITLE}",
        line="Reason: Replaced by the 2012-2024 edition.",
        path=f"/publishing/{public.pk}/",
    )
    assert "the asset is made private 30 days after the notice" in started[0].body


@pytest.mark.usefixtures("public_base")
def test_cancelling_tells_them_the_asset_stays_public(
    public, publisher_a, ado_a, cdo, capture_on_commit, clock
):
    clock.move_to(T0 + 10 * DAY)
    retirement = _start(public, publisher_a, capture_on_commit)
    mail.outbox.clear()
    _cancel(retirement, cdo, capture_on_commit)
    assert recipients(mail.outbox) == ["alice@ct.example", "cdo@ct.example"]
    check(
        mail.outbox[0],
        subject=f"Retirement cancelled: {OCME_TITLE}",
        line="the asset stays public.",
        path=f"/publishing/{public.pk}/",
    )


@pytest.mark.usefixtures("public_base")
def test_the_asset_made_private_tells_the_ado_the_cdo_and_who_started(
    public, publisher_a, ado_a, capture_on_commit, clock
):
    clock.move_to(T0 + 10 * DAY)
    retirement = _start(public, publisher_a, capture_on_commit)
    mail.outbox.clear()
    clock.move_to(T0 + 40 * DAY + datetime.timedelta(minutes=5))
    with capture_on_commit(execute=True):
        retire.retirements_tick()
    retirement.refresh_from_db()
    assert retirement.status == RetirementStatus.RETIRED
    assert recipients(mail.outbox) == ["alice@ct.example", "bob@ct.example", "cdo@ct.example"]
    check(
        mail.outbox[0],
        subject=f"Retired and made private: {OCME_TITLE}",
        line="was made private on the portal on April 11, 2026, at the end of its retirement "
        "notice.",
        path=f"/publishing/{public.pk}/",
    )
