"""Thin Celery tasks of upkeep: portal sync and retirement steps. The names are the queue's wire
contract, kept from before the apps split (ADR 0013)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from publishing.portal import PortalError
from upkeep import geo, retirement, sync

logger = logging.getLogger(__name__)


@shared_task(name="publishing.advance_retirement", acks_late=True)
def advance_retirement(retirement_id: int) -> str:
    """Post a retirement's notice, or restore its metadata; a failure waits for the beat."""
    return retirement.retirement_advance(retirement_id).status


@shared_task(name="publishing.retirements_tick")
def retirements_tick() -> list[int]:
    """Beat, hourly: make due retirements private, retry failed steps and pending cancels."""
    return retirement.retirements_tick()


@shared_task(name="publishing.sync_portal")
def sync_portal() -> int | None:
    """Beat, hourly: read the portal's catalog (ADR 0009). After a portal failure the next hour
    tries again; the failed sync record says why."""
    try:
        return sync.portal_sync(trigger="beat").pk
    except PortalError:
        logger.warning("Portal sync failed; the next beat tries again", exc_info=True)
        return None


@shared_task(name="upkeep.sync_geo_portal")
def sync_geo_portal() -> int | None:
    """Beat, hourly: read the Geo Data Portal's items (ADR 0029), when it is enabled."""
    if not settings.CTODP_GEO_ENABLED:
        return None
    try:
        return geo.geo_sync(trigger="beat").pk
    except geo.GeoPortalError:
        logger.warning("Geo Data Portal sync failed; the next beat tries again", exc_info=True)
        return None
