"""Portal sync (ADR 0009): read the catalog, record every asset, link it to its agency.

An asset is claimed, in this order, by a publication with its portal id, by the newest
inventory row with its portal id, or by program staff who assigned it. Assets no one claims are
listed for the DAPA team; assets a later sync no longer lists are marked missing, not deleted.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from agencies import permissions
from agencies.models import Agency
from inventories.models import PORTAL_ID, Dataset
from publishing.models import Publication, RunStatus
from publishing.portal import PortalClient, PortalError
from upkeep.models import AssetLink, PortalAsset, PortalSync

logger = logging.getLogger(__name__)

FIGURES = [
    "name", "asset_type", "permalink", "owner_name", "attribution", "data_updated_at",
    "metadata_updated_at", "page_views", "page_views_last_month", "downloads",
]  # fmt: skip
CLAIM = ["missing_since", "agency_id", "dataset_id", "link"]
SYNCED = [*FIGURES, "last_seen_at", *CLAIM]
TOUCH_BATCH = 500


@dataclass(frozen=True)
class Claim:
    agency_id: int
    dataset_id: int
    link: str


def _moment(value: Any) -> datetime.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def asset_facts(result: dict[str, Any]) -> dict[str, Any] | None:
    """The fields of one catalog result (SODA.md §3) that ctodp keeps; None if it has no id."""
    resource = result.get("resource") or {}
    portal_id = resource.get("id")
    if not isinstance(portal_id, str) or not PORTAL_ID.match(portal_id):
        return None
    views = resource.get("page_views") or {}
    return {
        "portal_id": portal_id,
        "name": (resource.get("name") or portal_id)[:500],
        "asset_type": (resource.get("type") or "")[:50],
        "permalink": (result.get("permalink") or "")[:500],
        "owner_name": ((result.get("owner") or {}).get("display_name") or "")[:200],
        "attribution": (resource.get("attribution") or "")[:500],
        "data_updated_at": _moment(resource.get("data_updated_at")),
        "metadata_updated_at": _moment(resource.get("metadata_updated_at")),
        "page_views": _count(views.get("page_views_total")),
        "page_views_last_month": _count(views.get("page_views_last_month")),
        "downloads": _count(resource.get("download_count")),
    }


def portal_claims() -> dict[str, Claim]:
    """{portal id: claim} from inventories (newest year wins), then publications (they win; of
    several publications of one asset, from before ADR 0016 allowed one only, the one that
    created it, else the first adopter, keeps it: a later adopter never takes it over)."""
    claims: dict[str, Claim] = {}
    datasets = (
        Dataset.objects.exclude(portal_id="")
        .order_by("inventory__year", "pk")
        .values_list("portal_id", "agency_id", "pk")
    )
    for portal_id, agency_id, dataset_id in datasets:
        claims[portal_id] = Claim(agency_id, dataset_id, AssetLink.INVENTORY)
    publications = Publication.objects.exclude(portal_id="").order_by("-adopted", "-pk")
    for portal_id, agency_id, dataset_id in publications.values_list(
        "portal_id", "agency_id", "dataset_id"
    ):
        claims[portal_id] = Claim(agency_id, dataset_id, AssetLink.PUBLICATION)
    return claims


def _link(asset: PortalAsset, claim: Claim | None) -> None:
    if claim is not None:
        asset.agency_id, asset.dataset_id, asset.link = (
            claim.agency_id,
            claim.dataset_id,
            claim.link,
        )
    elif asset.link != AssetLink.ASSIGNED:  # a staff assignment stands until a claim replaces it
        asset.agency_id, asset.dataset_id, asset.link = None, None, AssetLink.NONE


def _state(asset: PortalAsset) -> tuple:
    return tuple(getattr(asset, name) for name in (*FIGURES, *CLAIM))


def _record(results: list[dict[str, Any]], now: datetime.datetime, run: PortalSync) -> None:
    facts = {f["portal_id"]: f for f in map(asset_facts, results) if f is not None}
    claims = portal_claims()
    known = {asset.portal_id: asset for asset in PortalAsset.objects.all()}
    new, changed, unchanged = [], [], []
    for portal_id, fields in facts.items():
        asset = known.get(portal_id)
        # "Newly unclaimed": new to ctodp, or claimed until now (its claim went away).
        was_claimed = asset is not None and asset.agency_id is not None
        before = None if asset is None else _state(asset)
        if asset is None:
            asset = PortalAsset(first_seen_at=now, **fields)
        else:
            for name in FIGURES:
                setattr(asset, name, fields[name])
        asset.last_seen_at, asset.missing_since = now, None
        _link(asset, claims.get(portal_id))
        if before is None:
            new.append(asset)
        else:
            (unchanged if _state(asset) == before else changed).append(asset)
        if asset.agency_id is None:
            run.unclaimed += 1
            run.newly_unclaimed += was_claimed or before is None
        else:
            run.linked += 1
    PortalAsset.objects.bulk_create(new, batch_size=TOUCH_BATCH)
    for asset in changed:  # one plain UPDATE each: far cheaper than bulk_update's CASE trees
        PortalAsset.objects.filter(pk=asset.pk).update(
            **{name: getattr(asset, name) for name in SYNCED}
        )
    for start in range(0, len(unchanged), TOUCH_BATCH):
        batch = [asset.pk for asset in unchanged[start : start + TOUCH_BATCH]]
        PortalAsset.objects.filter(pk__in=batch).update(last_seen_at=now)
    gone = PortalAsset.objects.filter(missing_since__isnull=True).exclude(last_seen_at=now)
    run.newly_missing = gone.update(missing_since=now)
    run.assets_read = len(facts)


def _fail(run: PortalSync, error: Exception) -> None:
    reason = str(error) if isinstance(error, PortalError) else f"{type(error).__name__}: {error}"
    PortalSync.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=reason, finished_at=timezone.now()
    )
    run.status, run.error = RunStatus.FAILED, reason


def portal_sync(*, trigger: str = "", page_size: int | None = None) -> PortalSync:
    """Read the whole catalog and record it. A portal error fails the sync record and is raised."""
    run = PortalSync.objects.create(trigger=trigger)
    try:
        with PortalClient() as client:
            results = client.catalog(page_size=page_size or settings.CTODP_PORTAL_SYNC_PAGE_SIZE)
        with transaction.atomic():
            _record(results, timezone.now(), run)
            run.status, run.finished_at = RunStatus.SUCCEEDED, timezone.now()
            run.save()
    except Exception as error:  # the record must not stay "running"; the caller sees the error
        _fail(run, error)
        raise
    logger.info(
        "Portal sync %s: %s assets, %s linked, %s unclaimed (%s new), %s newly missing",
        run.pk, run.assets_read, run.linked, run.unclaimed, run.newly_unclaimed, run.newly_missing,
    )  # fmt: skip
    return run


def portal_asset_assign(
    *, asset: PortalAsset, agency: Agency, dataset: Dataset | None = None, acting_user: User
) -> PortalAsset:
    """Program staff give an unclaimed asset to an agency (and perhaps one of its datasets)."""
    if asset.agency_id is not None and asset.link != AssetLink.ASSIGNED:
        raise ValidationError(
            f"{asset.portal_id} is already claimed by {asset.agency} "
            f"({asset.get_link_display().lower()}); change that portal id there instead."
        )
    if dataset is not None and dataset.agency_id != agency.pk:
        raise ValidationError(f"The dataset {dataset.title!r} does not belong to {agency}.")
    asset.agency, asset.dataset, asset.link = agency, dataset, AssetLink.ASSIGNED
    asset.assigned_by, asset.assigned_at = acting_user, timezone.now()
    reason = f"Assigned to {agency}" + (f", dataset {dataset.title}" if dataset else "")
    asset._history_user, asset._change_reason = acting_user, reason[:100]
    asset.save()
    return asset


def adoption_check(*, agency: Agency, portal_id: str, acting_user: User) -> None:
    """Who may adopt an existing portal asset (publishing.extensions.adoption_checks, ADR 0016):
    the publishers of the agency the portal sync gives it to, and program staff. An asset the
    sync has not seen, or nobody claims, is adopted by program staff only: they can see the
    portal's catalog and know whose it is."""
    if permissions.is_program_staff(acting_user):
        return
    asset = PortalAsset.objects.present().filter(portal_id=portal_id).first()
    if asset is None:
        reason = (
            f"The portal sync has not seen {portal_id} on the portal, so ctodp cannot tell whose "
            "it is. Check the id; a new asset appears after the next sync (hourly). Only a "
            "portal administrator may adopt an asset the sync does not know: ask one."
        )
    elif asset.agency_id is None:
        reason = (
            f"{portal_id} is not assigned to any agency yet. Ask program staff to assign it to "
            f"{agency} (Unclaimed portal assets), then adopt it."
        )
    elif asset.agency_id != agency.pk:
        reason = (
            f"{portal_id} belongs to {asset.agency} on the portal: only its own publishers, or "
            "program staff, may adopt it."
        )
    else:
        return
    raise ValidationError({"portal_id": reason})
