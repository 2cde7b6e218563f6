"""Which task queue a task goes to (ADR 0024): an agency's own, or the default one.

An agency whose SQL sources live inside its network runs a worker there that consumes only its
queue (`celery -A ctodp worker -Q ocme-net`); CTODP_AGENCY_QUEUES maps its slug to that queue.
Every task that reads a publication's source (a run, a source check, a privacy screen, an
aggregation) names the row it works on by id; `agency_lookups` says, per task name, how to find
that row's agency. Apps above publishing add theirs from their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings

from publishing.models import PublicationRun, SourceCheck

# Task name → (first task argument → the agency's slug, or None).
AgencyLookup = Callable[[object], str | None]
agency_lookups: dict[str, AgencyLookup] = {}


def by_publication_of(model) -> AgencyLookup:
    """A lookup for tasks whose first argument is the id of a row with a `publication`."""

    def lookup(pk: object) -> str | None:
        row = model.objects.filter(pk=pk).values_list("publication__agency__slug", flat=True)
        return row.first()

    return lookup


agency_lookups["publishing.execute_run"] = by_publication_of(PublicationRun)
agency_lookups["publishing.check_source"] = by_publication_of(SourceCheck)


def agency_for(task_name: str, args: Sequence[object]) -> str | None:
    lookup = agency_lookups.get(task_name)
    return lookup(args[0]) if lookup and args else None


def queue_for(task_name: str, args: Sequence[object]) -> str | None:
    """The agency's queue when it has one, else None (Celery's default queue)."""
    queues = settings.CTODP_AGENCY_QUEUES
    if not queues or task_name not in agency_lookups:
        return None
    return queues.get(agency_for(task_name, args) or "")
