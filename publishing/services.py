"""Publishing workflows: create a publication, attach its source, confirm its columns, start,
execute and cancel runs, make it public. Every portal call goes through PortalClient."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from agencies import notices
from agencies.models import Role
from inventories import uploads
from inventories.models import PORTAL_ID, Dataset
from publishing import extensions, gates, runner, source_checks, sources
from publishing.models import (
    Kind,
    Mode,
    Publication,
    PublicationRun,
    RunStatus,
    RunTrigger,
    SourceCheck,
    SourceKind,
    Visibility,
    column_shapes,
)
from publishing.outbox import run_enqueue, runs_sweep
from publishing.portal import PortalClient
from publishing.runner import RunRetry, run_execute

__all__ = [
    "Attached",
    "RunRetry",
    "publication_attach_source",
    "publication_confirm_columns",
    "publication_create",
    "publication_make_public",
    "publication_override_access",
    "run_cancel",
    "run_enqueue",
    "run_execute",
    "run_start",
    "runs_sweep",
]


RUNNER_FIELDS = [
    "portal_id", "last_content_hash", "last_metadata_hash", "last_run",
    "detected_columns", "source_check",
]  # fmt: skip


def _fresh(publication: Publication) -> None:
    """Reload what runs and source checks write behind the instance's back, so checks see it
    and saves keep it."""
    publication.refresh_from_db(fields=RUNNER_FIELDS)


def _save(publication: Publication, acting_user: User, fields: list[str]) -> None:
    publication._history_user = acting_user
    publication.save(update_fields=[*fields, "updated_at"])


def publication_create(
    *,
    dataset: Dataset,
    acting_user: User,
    kind: str = Kind.ROWS,
    mode: str = Mode.UPSERT,
    row_identifier: str = "",
    visibility: str = Visibility.PRIVATE,
    portal_id: str = "",
    external_url: str = "",
    license: str = "",
    delete_missing: bool = False,
) -> Publication:
    """A publication of the dataset; `portal_id` adopts an existing asset instead of creating.
    `delete_missing`: an upsert also deletes the portal's rows the source no longer has."""
    if visibility == Visibility.PUBLIC and not acting_user.has_perm(
        "publishing.make_public", dataset
    ):
        raise ValidationError(
            {"visibility": "Publish privately first; a reviewer makes it public (Handbook step 5)."}
        )
    if portal_id and not PORTAL_ID.match(portal_id):
        raise ValidationError({"portal_id": "A portal id has the form abcd-1234."})
    _check_delete_missing(mode, delete_missing)
    if kind == Kind.EXTERNAL and not external_url:
        raise ValidationError({"external_url": "An external-link publication needs its URL."})
    if portal_id:
        gates.check_adoption(agency=dataset.agency, portal_id=portal_id, acting_user=acting_user)
    publication = Publication(
        dataset=dataset,
        agency=dataset.agency,
        kind=kind,
        mode=mode,
        row_identifier=row_identifier,
        visibility=visibility,
        portal_id=portal_id,
        adopted=bool(portal_id),
        external_url=external_url,
        license=license,
        delete_missing=delete_missing,
        created_by=acting_user,
    )
    publication.full_clean()
    publication._history_user = acting_user
    publication.save()
    _tell_publishers("publication_created", publication, also=[acting_user])
    return publication


def _tell_publishers(kind: str, publication: Publication, *, also: list[User]) -> None:
    """The agency's publishers (and `also`): what happened, and what happens next."""
    notices.send(
        kind,
        to=[*also, *notices.members(publication.agency_id, Role.PUBLISHER)],
        agency=publication.agency,
        link=publication.get_absolute_url(),
        context={"publication": publication},
    )


@dataclass(frozen=True)
class Attached:
    """What attaching did: a file's columns were read (`changes` from the confirmed ones), or a
    URL or SQL source was recorded and `check` reads it in a worker (ADR 0017)."""

    changes: list[str]
    check: SourceCheck | None = None


def publication_attach_source(
    *,
    publication: Publication,
    acting_user: User,
    file: UploadedFile | IO[bytes] | None = None,
    url: str = "",
    database: str = "",
    query: str = "",
) -> Attached:
    """Attach a new source. A file's columns are read here (its bytes are here and its checks
    bounded); a URL or SQL source is read by a worker once this transaction commits.

    The file goes through Django's storage API, so a worker on another host can read it.
    """
    if publication.is_external:
        raise ValidationError("An external-link publication has no rows to read.")
    _fresh(publication)
    before = _source_key(publication)
    replaced = publication.source_file.name
    _set_source(publication, file=file, url=url, database=database, query=query)
    if file is not None or _source_key(publication) != before:
        publication.source_version += 1  # earlier privacy screens are now stale (ADR 0007)
    fields = [*SOURCE_FIELDS, "source_version", "source_check"]
    with transaction.atomic():
        if file is None:
            publication.source_check = source_checks.check_queue(publication, acting_user)
            _save(publication, acting_user, fields)
            attached = Attached(changes=[], check=publication.source_check)
        else:
            attached = Attached(changes=_read_file_columns(publication, replaced))
            publication.source_check = None
            _save(publication, acting_user, [*fields, "detected_columns"])
    if replaced and replaced != publication.source_file.name:
        storage = publication.source_file.storage
        transaction.on_commit(lambda: storage.delete(replaced))  # only once the new one holds
    return attached


def _read_file_columns(publication: Publication, replaced: str) -> list[str]:
    try:
        publication.detected_columns = sources.sample_columns(publication)
    except sources.SourceError as error:
        _discard(publication.source_file, keep=replaced)  # a refused file leaves nothing behind
        raise ValidationError({"source": str(error)}) from error
    return sources.diff_columns(publication.columns, publication.detected_columns)


def _discard(field_file, *, keep: str) -> None:
    if field_file.name and field_file.name != keep:
        field_file.storage.delete(field_file.name)


SOURCE_FIELDS = [
    "source_kind", "source_file", "source_name", "source_url", "source_database", "source_query"
]  # fmt: skip


def _source_key(publication: Publication) -> tuple[str, ...]:
    return (
        publication.source_kind,
        publication.source_url,
        publication.source_database,
        publication.source_query,
    )


def _set_source(publication: Publication, *, file, url: str, database: str, query: str) -> None:
    if file is not None:
        name = getattr(file, "name", "") or "source.csv"
        if sources.file_format(name) == "json":
            raise ValidationError({"file": "Upload a CSV or XLSX file."})
        try:  # before it is stored: a hostile workbook or a 100,000-column CSV stops here
            uploads.check_upload(file, name)
        except uploads.UploadRefusedError as error:
            raise ValidationError({"file": str(error)}) from error
        publication.source_kind = SourceKind.FILE
        publication.source_name = name.rsplit("/", 1)[-1]
        publication.source_file.save(publication.source_name, file, save=False)
        return
    if url:
        publication.source_kind, publication.source_url = SourceKind.URL, url
    elif database or query:
        sources.check_sql_source(database, query, publication.agency)
        publication.source_kind = SourceKind.SQL
        publication.source_database, publication.source_query = database, query
    else:
        raise ValidationError({"source": "Give a file, a URL, or a database and a query."})
    publication.source_file, publication.source_name = "", ""  # the old file goes (on commit)


def publication_confirm_columns(
    *,
    publication: Publication,
    acting_user: User,
    row_identifier: str,
    descriptions: dict[str, str] | None = None,
    delete_missing: bool | None = None,
) -> Publication:
    """The publisher confirms the detected columns, picks the row identifier, and describes
    each column (`descriptions` by field name, sent to the portal as column descriptions;
    None keeps the current ones)."""
    _fresh(publication)
    _check_source_read(publication)
    columns = publication.detected_columns
    if not columns:
        raise ValidationError("Attach a source first; its columns are read from it.")
    fields = {c["field_name"] for c in columns}
    if row_identifier and row_identifier not in fields:
        raise ValidationError({"row_identifier": f"{row_identifier!r} is not one of the columns."})
    if publication.mode == Mode.UPSERT and not row_identifier:
        raise ValidationError({"row_identifier": "An upsert needs a row identifier."})
    created = publication.portal_id and not publication.adopted
    if created and publication.columns and columns != column_shapes(publication.columns):
        # The portal changes a schema only through a working copy, which ctodp does not drive.
        # (An adopted asset's columns are checked against the portal when the run starts.)
        raise ValidationError(
            "The columns differ from those on the portal: "
            + " ".join(sources.diff_columns(publication.columns, columns))
            + " Change the portal asset's columns first, or publish to a new asset."
        )
    if publication.columns_confirmed and _field_names(columns) != _field_names(publication.columns):
        publication.source_version += 1  # another column set: screen it again (ADR 0007)
    if descriptions is None:  # not given: keep what the publisher wrote before
        descriptions = {c["field_name"]: c.get("description", "") for c in publication.columns}
    publication.columns = _described(columns, descriptions)
    publication.row_identifier = row_identifier
    publication.columns_confirmed_at = timezone.now()
    fields = ["columns", "row_identifier", "columns_confirmed_at", "source_version"]
    if delete_missing is not None:  # None keeps the current choice
        _check_delete_missing(publication.mode, delete_missing)
        publication.delete_missing = delete_missing
        fields.append("delete_missing")
    _save(publication, acting_user, fields)
    return publication


def _check_delete_missing(mode: str, delete_missing: bool) -> None:
    if delete_missing and mode != Mode.UPSERT:
        raise ValidationError(
            {"delete_missing": "Only an upsert deletes missing rows; a replace keeps none."}
        )


def _field_names(columns: list[sources.Column]) -> set[str]:
    return {column["field_name"] for column in columns}


def _described(columns: list[sources.Column], descriptions: dict[str, str]) -> list:
    """The detected columns with the publisher's description of each (by field name)."""
    return [
        {**column, "description": descriptions.get(column["field_name"], "").strip()}
        for column in columns
    ]


def _check_source_read(publication: Publication) -> None:
    """A URL or SQL source is read by a worker: nothing goes on before its columns are known."""
    check = publication.source_check
    if check is None:
        return
    check.refresh_from_db(fields=["status", "error"])
    if check.is_active:
        raise ValidationError(
            "The source is still being read; its columns are confirmed and pushed once it is."
        )
    if not check.succeeded:
        raise ValidationError(
            f"The source could not be read: {check.error} Attach a source that can be read."
        )


def _check_ready(publication: Publication) -> None:
    if publication.is_external:
        return
    if not publication.has_source:
        raise ValidationError("Attach a source before publishing.")
    _check_source_read(publication)
    if not publication.columns_confirmed:
        raise ValidationError("Confirm the columns before the first push.")
    if publication.schema_changed:
        changes = sources.diff_columns(publication.columns, publication.detected_columns)
        raise ValidationError(
            "The source's columns changed since they were confirmed: " + " ".join(changes)
        )
    if publication.mode == Mode.UPSERT and not publication.row_identifier:
        raise ValidationError("An upsert needs a row identifier.")
    if publication.visibility == Visibility.PUBLIC:
        # The push writes straight to a public asset: the make-public gate applies (ADR 0007).
        extensions.check_public(publication)


def run_start(
    *, publication: Publication, acting_user: User | None, trigger: str = RunTrigger.MANUAL
) -> PublicationRun:
    """Queue a run in the caller's transaction; it is sent to the task queue once that commits.
    A broker that is down does not fail the request: the run waits for the sweeper (outbox.py).
    `trigger` says who asked: a person on the page, the API, or the schedule (ADR 0008)."""
    _check_ready(publication)
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        blocked = extensions.push_blocked(locked)
        if blocked:
            raise ValidationError(blocked)
        if locked.runs.active().exists():
            raise ValidationError("A run of this publication is already queued or running.")
        run = PublicationRun.objects.create(
            publication=locked,
            requested_by=acting_user,
            trigger=trigger,
            heartbeat_at=timezone.now(),
        )
        Publication.objects.filter(pk=locked.pk).update(last_run=run)
        transaction.on_commit(lambda: run_enqueue(run.pk))
    return run


def run_cancel(*, run: PublicationRun, acting_user: User) -> bool:
    """Cancel a queued or running run; a running one stops before its next chunk."""
    return runner.finish(run.pk, RunStatus.CANCELLED, f"Cancelled by {acting_user}.", active=True)


def publication_make_public(*, publication: Publication, acting_user: User) -> Publication:
    """The reviewer's step (Handbook step 5): a privately published asset becomes public."""
    if not acting_user.has_perm("publishing.make_public", publication):
        raise PermissionDenied
    _fresh(publication)
    last = publication.last_run
    if not publication.portal_id or last is None or last.status != RunStatus.SUCCEEDED:
        raise ValidationError("Only a publication whose last run succeeded can be made public.")
    gates.check_access(publication)
    extensions.check_public(publication)
    with PortalClient() as portal:
        portal.set_public(publication.portal_id, True)
    publication.visibility = Visibility.PUBLIC
    publication.made_public_by = acting_user
    publication.made_public_at = timezone.now()
    _save(publication, acting_user, ["visibility", "made_public_by", "made_public_at"])
    _tell_publishers("publication_public", publication, also=[*notices.ado(publication.agency_id)])
    return publication


def publication_override_access(
    *, publication: Publication, reason: str, acting_user: User
) -> Publication:
    """The CDO lets the publication reach the portal although its inventory entry is not public
    or the approved access plan does not list it (ADR 0016). The reason is kept in history."""
    if not acting_user.has_perm("publishing.override_access", publication):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": "Say why this dataset may be published (a sentence)."})
    refusal = gates.access_refusal(publication)
    if not refusal:
        raise ValidationError("Nothing to override: the inventory and the access plan allow it.")
    publication.access_override_reason = reason
    publication.access_override_by = acting_user
    publication.access_override_at = timezone.now()
    publication._change_reason = f"Access override: {reason}"[:100]
    _save(
        publication,
        acting_user,
        ["access_override_reason", "access_override_by", "access_override_at"],
    )
    return publication
