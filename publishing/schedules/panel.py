"""The schedule panel of the publication page (publishing/views.py adds it)."""

from __future__ import annotations

from django.utils import timezone

from publishing.forms import ScheduleForm
from publishing.models import DEFAULT_TIME_ZONE, Publication, PublicationSchedule
from publishing.schedules import services as schedule_services
from publishing.schedules import times as schedule_times


def _initial(schedule: PublicationSchedule | None, suggestion) -> dict:
    if schedule is None:
        return {"time_zone": DEFAULT_TIME_ZONE, **suggestion.initial}
    fields = ["kind", "time_of_day", "weekday", "day_of_month", "cron", "time_zone"]
    return {name: getattr(schedule, name) for name in fields}


def schedule_context(publication: Publication) -> dict:
    """What the publication page shows of its schedule (the page's view adds it)."""
    schedule = (
        PublicationSchedule.objects.filter(publication=publication)
        .select_related("last_run", "paused_by")
        .first()
    )
    suggestion = schedule_services.schedule_suggestion(publication)
    next_in_words = ""
    if schedule is not None and schedule.next_run_at is not None:
        next_in_words = schedule_times.until_in_words(schedule.next_run_at, timezone.now())
    return {
        "schedule": schedule,
        "schedule_next_in_words": next_in_words,
        "schedule_suggestion": suggestion,
        "schedule_form": ScheduleForm(initial=_initial(schedule, suggestion)),
    }
