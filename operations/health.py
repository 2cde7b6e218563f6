"""Readiness (ADR 0024): django-health-check's checks for the parts ctodp needs, and ours for
free disk space and beat. `/healthz` stays the cheap liveness probe of the load balancer."""

from __future__ import annotations

import dataclasses
import datetime
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from celery import Celery
from celery.app import app_or_default
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from health_check import Cache, Database, HealthCheck, Storage
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from operations import access


@dataclasses.dataclass
class DiskSpace(HealthCheck):
    """Unhealthy below `min_free_mb` free under `path` (uploads land there, or pass through)."""

    path: str
    min_free_mb: int = dataclasses.field(default=500, repr=False)

    def run(self) -> None:
        # The media root appears with the first upload: until then, its nearest parent's disk.
        path = Path(self.path)
        while not path.exists() and path != path.parent:
            path = path.parent
        try:
            free_mb = shutil.disk_usage(path).free // (1024 * 1024)
        except OSError as error:
            raise ServiceUnavailable(f"{self.path} cannot be read") from error
        if free_mb < self.min_free_mb:
            raise ServiceUnavailable(f"{free_mb} MB free, below {self.min_free_mb} MB")


@dataclasses.dataclass
class BeatHeartbeat(HealthCheck):
    """Beat records each periodic task it sends (django-celery-beat's `last_run_at`, written at
    once: CELERY_BEAT_SYNC_EVERY). The sweeper is due every minute, so a beat that sent nothing
    for `stale_after` seconds is dead or stuck."""

    stale_after: int = dataclasses.field(default=180, repr=False)

    async def run(self) -> None:
        # Async ORM: the query runs on the request's own thread and connection.
        tasks = PeriodicTask.objects.filter(enabled=True, last_run_at__isnull=False)
        last = await tasks.order_by("-last_run_at").values_list("last_run_at", flat=True).afirst()
        if last is None:
            raise ServiceUnavailable("beat has never sent a task")
        age = (timezone.now() - last).total_seconds()
        if age > self.stale_after:
            raise ServiceUnavailable(f"beat sent nothing for {int(age)} s")


@dataclasses.dataclass
class CeleryPing(Ping):
    """django-health-check's ping of the workers, without the app object in its name."""

    app: Celery = dataclasses.field(default_factory=app_or_default, repr=False)


def readiness_checks() -> list[HealthCheck]:
    """Every part a request or a run needs, from the settings in force."""
    checks: list[HealthCheck] = [Database(), Cache(), Storage()]
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        checks.append(DiskSpace(str(settings.MEDIA_ROOT), settings.CTODP_HEALTH_MIN_FREE_MB))
    checks.append(DiskSpace(tempfile.gettempdir(), settings.CTODP_HEALTH_MIN_FREE_MB))
    if settings.REDIS_URL:
        checks.append(Redis(client_factory=lambda: RedisClient.from_url(settings.REDIS_URL)))
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # The folder broker of `make run` cannot broadcast a ping.
        timeout = datetime.timedelta(seconds=settings.CTODP_HEALTH_CELERY_TIMEOUT)
        checks.append(CeleryPing(timeout=timeout))
    checks.append(BeatHeartbeat(stale_after=settings.CTODP_BEAT_STALE_AFTER))
    return checks


def beat_checks() -> list[HealthCheck]:
    """What the beat container's healthcheck asks (manage.py health_check health-beat)."""
    return [BeatHeartbeat(stale_after=settings.CTODP_BEAT_STALE_AFTER)]


class ReadinessView(HealthCheckView):
    """GET /health/ (JSON with `?format=json` or `Accept: application/json`): 200 when every
    check passes, 500 naming the failing ones. Details of the installation: token only."""

    template_name = "operations/health.html"  # the site's own page (CSP allows no inline style)

    async def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = access.refusal(request)
        return refusal or await super().dispatch(request, *args, **kwargs)

    def get_checks(self) -> Iterator[HealthCheck]:
        yield from readiness_checks()


class BeatView(ReadinessView):
    def get_checks(self) -> Iterator[HealthCheck]:
        yield from beat_checks()
