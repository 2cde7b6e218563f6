"""Privacy workflows (issue 7, ADR 0007): screen a publication's source as a stored run, request
and approve an exception, and the gate that make-public applies."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from agencies import notices
from privacy.engine.screen import DEFAULT_THRESHOLD, screen_source
from privacy.engine.sources import iter_chunks
from privacy.models import PrivacyException, PrivacyScreen, ScreenVerdict
from publishing import outbox, sources
from publishing.models import ACTIVE_STATUSES, Publication, RunStatus

logger = logging.getLogger(__name__)
SCREEN_CHUNK_ROWS = 50_000
APPROVE = "privacy.approve_privacy_exception"


def screen_start(
    *,
    publication: Publication,
    acting_user: User | None,
    threshold: int = DEFAULT_THRESHOLD,
    quasi: list[str] | None = None,
) -> PrivacyScreen:
    """Queue a screen in the caller's transaction; the task is sent once that commits."""
    if not publication.has_source:
        raise ValidationError("Attach a source before screening it.")
    if threshold < 1:
        raise ValidationError({"threshold": "The threshold is at least 1."})
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.privacy_screens.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
            raise ValidationError("A privacy screen of this publication is already under way.")
        screen = PrivacyScreen.objects.create(
            publication=locked,
            requested_by=acting_user,
            heartbeat_at=timezone.now(),
            threshold=threshold,
            quasi_identifiers=quasi or [],
        )
        transaction.on_commit(lambda: _send(screen.pk))
    return screen


def _send(screen_id: int) -> None:
    """A screen the task queue cannot take fails at once, saying so: a retry is one click, and
    no screen waits forever for a queue that never heard of it (runs have an outbox instead)."""
    try:
        outbox.send("publishing.screen_publication", screen_id)
    except (BrokerError, OSError) as error:
        logger.warning("screen %s not sent to the task queue (%s)", screen_id, error)
        PrivacyScreen.objects.filter(pk=screen_id, status=RunStatus.QUEUED).update(
            status=RunStatus.FAILED,
            error="The task queue is unreachable, so nothing was screened. Try again shortly.",
            finished_at=timezone.now(),
        )


def _claim(screen_id: int) -> bool:
    """Running, and which source version it reads: the one the publication has now."""
    publication = Publication.objects.filter(pk=OuterRef("publication_id"))
    version = Subquery(publication.values("source_version")[:1])
    now = timezone.now()
    claimed = PrivacyScreen.objects.filter(pk=screen_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, source_version=version
    )
    return claimed == 1


@contextlib.contextmanager
def _source_of(publication: Publication) -> Iterator[dict[str, Any]]:
    """What screen_source reads: the stored file or the URL's bytes (fetched through
    publishing's guarded client and checked like an upload, ADR 0017); SQL through our chunks."""
    if publication.source_kind in ("file", "url"):
        with sources.open_source(publication) as handle:
            label = (
                publication.source_url
                if publication.source_kind == "url"
                else publication.source_name or publication.source_file.name
            )
            yield {"source": label, "chunks": iter_chunks(handle, SCREEN_CHUNK_ROWS)}
    else:
        chunks = sources.read_chunks(publication, SCREEN_CHUNK_ROWS)
        yield {"source": f"SQL on {publication.source_database}", "chunks": chunks}


def screen_execute(screen_id: int) -> None:
    """Run one claimed screen, saving rows read as it goes and the report at the end."""
    if not _claim(screen_id):
        return
    screen = PrivacyScreen.objects.select_related("publication").get(pk=screen_id)

    def progress(rows: int) -> None:
        PrivacyScreen.objects.filter(pk=screen_id, status=RunStatus.RUNNING).update(
            rows_read=rows, heartbeat_at=timezone.now()
        )

    try:
        with _source_of(screen.publication) as source:
            report = screen_source(
                source.pop("source"),
                quasi=screen.quasi_identifiers or None,
                threshold=screen.threshold,
                chunksize=SCREEN_CHUNK_ROWS,
                progress=progress,
                **source,
            )
    except Exception as error:  # any failure of the source or the engine ends the screen
        logger.exception("privacy screen %s failed", screen_id)
        _finish(screen_id, RunStatus.FAILED, error=f"{type(error).__name__}: {error}")
        return
    _finish(
        screen_id,
        RunStatus.SUCCEEDED,
        report=report.to_dict(),
        source_label=report.source[:1000],
        rows_read=report.rows,
        verdict=report.verdict,
        k=report.k,
        records_at_risk=report.records_at_risk,
        quasi_identifiers=report.quasi_identifiers,
    )


def _finish(screen_id: int, status: str, **fields: Any) -> None:
    PrivacyScreen.objects.filter(pk=screen_id, status=RunStatus.RUNNING).update(
        status=status, finished_at=timezone.now(), **fields
    )


def latest_screen(publication: Publication) -> PrivacyScreen | None:
    return publication.privacy_screens.filter(status=RunStatus.SUCCEEDED).first()


def exception_request(
    *, screen: PrivacyScreen, acting_user: User, justification: str
) -> PrivacyException:
    if screen.verdict != ScreenVerdict.HIGH:
        raise ValidationError("Only a high-risk screen needs an exception.")
    if not justification.strip():
        raise ValidationError({"justification": "Say why the data may be published as it is."})
    exception = PrivacyException(
        publication=screen.publication,
        screen=screen,
        justification=justification.strip(),
        requested_by=acting_user,
    )
    exception._history_user = acting_user
    exception.save()
    publication = screen.publication
    notices.send(
        "exception_requested",
        to=notices.cdo(),
        agency=publication.agency,
        link=screen.get_absolute_url(),
        context={
            "exception": exception,
            "publication": publication,
            "queue": notices.absolute(reverse("privacy:exceptions_pending")),
        },
    )
    return exception


def exception_approve(*, exception: PrivacyException, acting_user: User) -> PrivacyException:
    """The CDO approves: the justification and who approved it are recorded (and in history)."""
    if not acting_user.has_perm(APPROVE, exception.publication):
        raise PermissionDenied
    if exception.is_approved:
        raise ValidationError("This exception is already approved.")
    exception.approved_by = acting_user
    exception.approved_at = timezone.now()
    exception._history_user = acting_user
    exception.save(update_fields=["approved_by", "approved_at"])
    publication = exception.publication
    notices.send(
        "exception_approved",
        to=[exception.requested_by],
        agency=publication.agency,
        link=publication.get_absolute_url(),
        context={"exception": exception, "publication": publication},
    )
    return exception


def check_privacy_gate(publication: Publication) -> None:
    """Make-public needs a succeeded screen of the publication's current source that is not
    high risk, or high risk with an exception the CDO approved for that very screen (ADR 0007).

    External links have no rows and pass. So do the built-in catalog sources (ADR 0030): their
    rows are the public catalog's, in which a non-public dataset shows only its title, agency,
    access level and reason — no record about a person. The refusal says what to do next.
    """
    if publication.is_external or publication.is_builtin:
        return
    screen = latest_screen(publication)
    if screen is None:
        raise ValidationError(
            "The source has not been screened for re-identification risk. Run the privacy "
            "screen (Privacy screen section) before making the publication public."
        )
    if not screen.is_current:
        raise ValidationError(
            f"The source changed since the latest privacy screen (#{screen.pk}). Screen the "
            "current source again before making the publication public."
        )
    if screen.verdict != ScreenVerdict.HIGH:
        return
    if screen.exceptions.filter(approved_at__isnull=False).exists():
        return
    raise ValidationError(
        f"The latest privacy screen (#{screen.pk}) found a high re-identification risk "
        f"(k = {screen.k}, {screen.records_at_risk or 0:.1%} of records at risk). Aggregate or "
        "suppress the data, or ask the CDO to approve an exception with a justification."
    )


def screens_sweep() -> list[int]:
    """Fail screens queued or running without a heartbeat for longer than the bound (a worker
    died, or the task was lost): they no longer block a new screen, which may be started again.

    Returns the ids of the screens failed.
    """
    bound = settings.CTODP_SCREEN_STUCK_AFTER
    stale = timezone.now() - timedelta(seconds=bound)
    stuck = PrivacyScreen.objects.filter(status__in=ACTIVE_STATUSES, heartbeat_at__lt=stale)
    failed = []
    for screen in stuck.only("pk", "status", "heartbeat_at"):
        note = (
            f"No progress for more than {bound // 60} minutes while {screen.status} (the worker "
            "stopped or the task was lost). Start the screen again."
        )
        moved = PrivacyScreen.objects.filter(
            pk=screen.pk, status=screen.status, heartbeat_at=screen.heartbeat_at
        ).update(status=RunStatus.FAILED, finished_at=timezone.now(), error=note)
        if moved:
            failed.append(screen.pk)
    return failed
