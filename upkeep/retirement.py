"""Retiring a portal asset by the CT process (Handbook "Data retirement", ADR 0010).

start → the notice on the portal ("ARCHIVE: " title, `archive` tag, a dated notice paragraph
at the top of the description) → 30 days later (at once for an asset made public less than 7
days before) beat makes it private. Cancelling before then restores the saved title, tags and
description exactly. Every portal step is done by `retirement_advance`, under a claim, so the
steps of one retirement never run side by side, and a failed step is retried by the next beat.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agencies import notices
from inventories.models import PORTAL_ID
from publishing import builtin, outbox
from publishing.models import Publication, SourceKind, Visibility
from publishing.portal import PortalClient, PortalError
from upkeep.models import RETIREMENT_BLOCKING, RETIREMENT_OPEN, Retirement, RetirementStatus

logger = logging.getLogger(__name__)

PERM = "upkeep.retire_publication"
NOTICE_PERIOD = datetime.timedelta(days=30)
IMMEDIATE_WITHIN = datetime.timedelta(days=7)
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)  # a worker killed mid-step frees it after this
TITLE_PREFIX = "ARCHIVE: "
ADVANCE = "publishing.advance_retirement"  # upkeep/tasks.py
ARCHIVE_TAG = "archive"
NOTICE_OPENING = "ARCHIVE NOTICE:"
STEP_NAMES = {
    "notice": "posting the notice",
    "private": "making the asset private",
    "restore": "restoring the original metadata",
}


# --- start and cancel ----------------------------------------------------------------------


def _check_superseded_by(value: str) -> None:
    if value and not PORTAL_ID.match(value):
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ValidationError(
                {"superseded_by": "Give the superseding asset's portal id (abcd-1234) or its URL."}
            ) from None


def _check_retirable(publication: Publication) -> None:
    if not publication.portal_id or publication.visibility != Visibility.PUBLIC:
        raise ValidationError("Only a public asset on the portal can be retired.")
    if publication.retirements.exclude(status=RetirementStatus.CANCELLED).exists():
        raise ValidationError("This publication is already being retired, or is retired.")
    if publication.runs.active().exists():
        raise ValidationError("A run of this publication is queued or running; wait for it.")


def retirement_start(
    *,
    publication: Publication,
    acting_user: User,
    criterion: str,
    reason: str,
    superseded_by: str = "",
    archive_url: str = "",
) -> Retirement:
    """Record the retirement and post its notice to the portal once the transaction commits."""
    if not acting_user.has_perm(PERM, publication):
        raise PermissionDenied
    superseded_by, reason = superseded_by.strip(), reason.strip()
    _check_superseded_by(superseded_by)
    now = timezone.now()
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        _check_retirable(locked)
        made_public = locked.made_public_at
        retirement = Retirement(
            publication=locked,
            agency_id=locked.agency_id,
            criterion=criterion,
            reason=reason,
            superseded_by=superseded_by,
            archive_url=archive_url.strip(),
            immediate=made_public is not None and now - made_public < IMMEDIATE_WITHIN,
            started_by=acting_user,
        )
        retirement.full_clean()
        retirement._history_user = acting_user
        retirement.save()
        _tell("retirement_started", retirement, acting_user)
        transaction.on_commit(lambda: outbox.send(ADVANCE, retirement.pk))
    return retirement


def _tell(kind: str, retirement: Retirement, acting_user: User) -> None:
    """The agency's ADO, the CDO and whoever acted: the asset leaves (or stays on) the portal."""
    notices.send(
        kind,
        to=[acting_user, *notices.ado(retirement.agency_id), *notices.cdo()],
        agency=retirement.agency,
        link=retirement.get_absolute_url(),
        context={"retirement": retirement},
    )


def retirement_cancel(*, retirement: Retirement, acting_user: User) -> Retirement:
    """Ask for the original metadata back; the portal step runs once the transaction commits."""
    if not acting_user.has_perm(PERM, retirement.publication):
        raise PermissionDenied
    with transaction.atomic():
        current = Retirement.objects.select_for_update().get(pk=retirement.pk)
        if not current.may_cancel:
            raise ValidationError(
                "Only a retirement whose asset is not yet private can be cancelled."
            )
        current.status = RetirementStatus.CANCELLING
        current.cancelled_by, current.cancelled_at = acting_user, timezone.now()
        current._history_user = acting_user
        current.save()
        _tell("retirement_cancelled", current, acting_user)
        transaction.on_commit(lambda: outbox.send(ADVANCE, current.pk))
        _lists_changed()
    return current


# --- the portal steps ------------------------------------------------------------------------


def notice_text(retirement: Retirement) -> str:
    """The paragraph put at the top of the description (Handbook: removed in 30 days)."""
    when = timezone.localdate(retirement.due_at)
    text = (
        f"{NOTICE_OPENING} this asset is being retired and will be removed from public view "
        f"on {when:%B %-d, %Y}. Download it before then, or contact the CT Open Data Portal "
        "administrators if you will need it later."
    )
    if retirement.superseding_url:
        text += f" It is superseded by {retirement.superseding_url}."
    return text


def notice_fields(retirement: Retirement) -> dict:
    """Title, tags and description with the notice, always built from the saved originals."""
    tags = [t for t in retirement.original_tags if t != ARCHIVE_TAG] + [ARCHIVE_TAG]
    description = "\n\n".join(
        filter(None, [notice_text(retirement), retirement.original_description])
    )
    return {
        "name": TITLE_PREFIX + retirement.original_title,
        "tags": tags,
        "description": description,
    }


def original_fields(retirement: Retirement) -> dict:
    return {
        "name": retirement.original_title,
        "tags": retirement.original_tags,
        "description": retirement.original_description,
    }


def _save_originals(retirement: Retirement, portal: PortalClient) -> None:
    """Keep the portal's metadata before the first write, committed on its own, so that a
    crash after the write can never make the notice look like the original."""
    if retirement.original_saved_at is not None:
        return
    view = portal.get_metadata(retirement.publication.portal_id)
    Retirement.objects.filter(
        pk=retirement.pk, original_saved_at__isnull=True, cancelled_at__isnull=True
    ).update(
        original_saved_at=timezone.now(),
        original_title=view.get("name") or "",
        original_tags=list(view.get("tags") or []),
        original_description=view.get("description") or "",
    )
    retirement.refresh_from_db()


def _post_notice(retirement: Retirement, portal: PortalClient, now: datetime.datetime) -> None:
    _save_originals(retirement, portal)
    if retirement.cancelled_at is not None:
        return  # cancelled before anything was written: the next step restores (nothing)
    retirement.due_at = now if retirement.immediate else now + NOTICE_PERIOD
    portal.update_metadata(retirement.publication.portal_id, notice_fields(retirement))
    _record(retirement, cancelled=False, status=RetirementStatus.NOTICE_POSTED,
            notice_posted_at=now, due_at=retirement.due_at)  # fmt: skip


def _make_private(retirement: Retirement, portal: PortalClient, now: datetime.datetime) -> None:
    publication = retirement.publication
    portal.set_public(publication.portal_id, False)
    if _record(retirement, cancelled=False, status=RetirementStatus.RETIRED, made_private_at=now):
        publication.visibility = Visibility.PRIVATE
        publication.save(update_fields=["visibility", "updated_at"])
        retirement.made_private_at = now
        _tell("retirement_done", retirement, retirement.started_by)


def _restore(retirement: Retirement, portal: PortalClient, now: datetime.datetime) -> None:
    publication = retirement.publication
    if retirement.original_saved_at is not None:
        portal.update_metadata(publication.portal_id, original_fields(retirement))
        # A make-private whose answer was lost may have gone through: public again, surely.
        portal.set_public(publication.portal_id, True)
    _record(retirement, cancelled=True, status=RetirementStatus.CANCELLED, restored_at=now)


def push_blocker(publication: Publication) -> str:
    """No push while the asset is being retired (it would overwrite the ARCHIVE notice) or is
    retired (made private for good); registered with publishing by upkeep/hooks.py."""
    statuses = set(
        publication.retirements.filter(status__in=RETIREMENT_BLOCKING).values_list(
            "status", flat=True
        )
    )
    if RetirementStatus.RETIRED in statuses:
        return "The asset is retired: it was made private on the portal."
    if statuses:
        return "The asset is being retired: a push would overwrite its ARCHIVE notice."
    return ""


STEPS = {"notice": _post_notice, "private": _make_private, "restore": _restore}


def _record(retirement: Retirement, *, cancelled: bool, **changes) -> bool:
    """Save a step's outcome unless a cancel arrived meanwhile (then the next step restores)."""
    with transaction.atomic():
        current = Retirement.objects.select_for_update().get(pk=retirement.pk)
        if not current.is_open or (current.cancelled_at is not None) != cancelled:
            return False
        for name, value in {"error": "", **changes}.items():
            setattr(current, name, value)
        current.save()
        _lists_changed()
    return True


def _lists_changed() -> None:
    """The public retired list (and the catalog's availability) changed: refresh their portal
    publications once this commits (ADR 0030); an unchanged list is a cheap unchanged run."""
    builtin.builtin_refresh_later(SourceKind.RETIRED)
    builtin.builtin_refresh_later(SourceKind.CATALOG)


def _due_step(retirement: Retirement, now: datetime.datetime) -> str:
    step = retirement.next_step
    if step == "private" and retirement.due_at is not None and retirement.due_at > now:
        return ""
    return step


def _claim(retirement_id: int, now: datetime.datetime) -> bool:
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    claimed = Retirement.objects.filter(free, pk=retirement_id, status__in=RETIREMENT_OPEN)
    return claimed.update(claimed_at=now) == 1


def retirement_advance(retirement_id: int) -> Retirement:
    """Do every portal step that is due (notice, then private when due; or restore).

    A portal failure is recorded on the retirement (status failed, the error, the attempts)
    and left for the next beat; nothing else is written, so no step is half-recorded.
    """
    now = timezone.now()
    if not _claim(retirement_id, now):
        return Retirement.objects.get(pk=retirement_id)
    try:
        with PortalClient() as portal:
            _advance(retirement_id, portal, now)
    finally:
        Retirement.objects.filter(pk=retirement_id).update(claimed_at=None)
    return Retirement.objects.get(pk=retirement_id)


def _advance(retirement_id: int, portal: PortalClient, now: datetime.datetime) -> None:
    done: set[str] = set()
    while True:
        retirement = Retirement.objects.select_related("publication").get(pk=retirement_id)
        step = _due_step(retirement, now)
        if not step or step in done:
            return
        done.add(step)
        try:
            STEPS[step](retirement, portal, now)
        except PortalError as error:
            logger.warning("Retirement %s: %s failed: %s", retirement_id, step, error)
            _record(
                retirement,
                cancelled=retirement.cancelled_at is not None,
                status=RetirementStatus.FAILED,
                attempts=retirement.attempts + 1,
                error=f"{STEP_NAMES[step].capitalize()} failed: {error}",
            )
            return


def retirements_due(now: datetime.datetime | None = None) -> list[int]:
    """Ids of retirements with a portal step to do now: the beat's work list."""
    now = now or timezone.now()
    waiting = Q(cancelled_at__isnull=False) | Q(notice_posted_at__isnull=True) | Q(due_at__lte=now)
    return list(
        Retirement.objects.open().filter(waiting).order_by("pk").values_list("pk", flat=True)
    )


def retirements_tick() -> list[int]:
    """Beat: advance every retirement with a step due. Returns their ids."""
    due = retirements_due()
    for pk in due:
        retirement_advance(pk)
    return due
