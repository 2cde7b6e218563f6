"""Prometheus metrics (ADR 0024), at /metrics with the operations token.

- Requests: counted and timed in the web process by `MetricsMiddleware`, labelled by method,
  URL name (never the raw path: ids would explode the series) and status. Under gunicorn set
  PROMETHEUS_MULTIPROC_DIR so every worker process's counts are added up (gunicorn.conf.py).
- Runs: read from the database at scrape time (outcome counts and a duration histogram). A run
  ends in whichever worker took it — on another host, or inside an agency's network where no
  scraper reaches — and the database is where every ending is recorded, including the
  sweeper's "given up".
- Queue depth: the length of each task queue's Redis list, at scrape time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from operations import access
from publishing.models import PublicationRun, RunStatus

REQUESTS = Counter("ctodp_http_requests", "HTTP requests answered", ["method", "view", "status"])
LATENCY = Histogram(
    "ctodp_http_request_duration_seconds", "Time to answer a request", ["method", "view"]
)
# Seconds; publishing runs last from a second (unchanged) to hours (millions of rows).
RUN_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600)


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = (match.view_name if match else "") or "unmatched"
        LATENCY.labels(request.method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, view, str(response.status_code)).inc()
        return response


def run_outcome_counts() -> dict[str, int]:
    """Finished runs by outcome: succeeded (pushed), unchanged, failed, cancelled."""
    finished = PublicationRun.objects.exclude(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    counts = finished.aggregate(
        succeeded=Count("pk", filter=Q(status=RunStatus.SUCCEEDED, unchanged=False)),
        unchanged=Count("pk", filter=Q(status=RunStatus.SUCCEEDED, unchanged=True)),
        failed=Count("pk", filter=Q(status=RunStatus.FAILED)),
        cancelled=Count("pk", filter=Q(status=RunStatus.CANCELLED)),
    )
    return {outcome: count or 0 for outcome, count in counts.items()}


def run_duration_buckets() -> tuple[list[tuple[str, int]], float]:
    """Cumulative counts of finished runs (started and finished) by duration, and their sum."""
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    timed = PublicationRun.objects.filter(
        finished_at__isnull=False, started_at__isnull=False
    ).annotate(duration=duration)
    aggregates = {
        f"le_{bound}": Count("pk", filter=Q(duration__lte=timedelta(seconds=bound)))
        for bound in RUN_BUCKETS
    }
    values = timed.aggregate(total=Count("pk"), seconds=Sum("duration"), **aggregates)
    buckets = [(str(float(bound)), values[f"le_{bound}"]) for bound in RUN_BUCKETS]
    buckets.append(("+Inf", values["total"]))
    total = values["seconds"]
    return buckets, total.total_seconds() if total else 0.0


def queue_names() -> list[str]:
    return sorted({settings.CELERY_TASK_DEFAULT_QUEUE, *settings.CTODP_AGENCY_QUEUES.values()})


def queue_depths() -> dict[str, int]:
    """Messages waiting in each queue (Redis lists named after the queues)."""
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return {}
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
    try:
        return {name: int(client.llen(name)) for name in queue_names()}
    finally:
        client.close()


class ScrapeTimeCollector(Collector):
    """Runs and queues, computed when Prometheus asks."""

    def collect(self) -> Iterator:
        outcomes = CounterMetricFamily(
            "ctodp_runs_finished", "Publishing runs finished, by outcome", labels=["outcome"]
        )
        for outcome, count in run_outcome_counts().items():
            outcomes.add_metric([outcome], count)
        yield outcomes
        buckets, total = run_duration_buckets()
        yield HistogramMetricFamily(
            "ctodp_run_duration_seconds",
            "Publishing run durations, from start to end",
            buckets=buckets,
            sum_value=total,
        )
        depth = GaugeMetricFamily(
            "ctodp_queue_depth", "Tasks waiting in a task queue", labels=["queue"]
        )
        for queue, length in queue_depths().items():
            depth.add_metric([queue], length)
        yield depth


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(ScrapeTimeCollector())
    return registry


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    refusal = access.refusal(request)
    if refusal:
        return refusal
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
