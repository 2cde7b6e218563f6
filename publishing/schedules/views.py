"""The schedule section of a publication's page: set or change, pause, resume (ADR 0008)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies import permissions
from agencies.forms import add_service_errors
from publishing.forms import ScheduleForm
from publishing.models import DEFAULT_TIME_ZONE, Publication, PublicationSchedule
from publishing.schedules import services as schedule_services
from publishing.schedules import times as schedule_times

MANAGE = "publishing.manage_publication"


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


def _schedule_for(request: HttpRequest, pk: int) -> tuple[Publication, PublicationSchedule]:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    schedule = PublicationSchedule.objects.filter(publication=publication).first()
    if schedule is None:
        messages.error(request, "The publication has no schedule.")
    return publication, schedule


@login_required
@require_POST
def schedule_set(request: HttpRequest, pk: int) -> HttpResponse:
    from publishing.views import detail_context

    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            schedule_services.schedule_set(
                publication=publication, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Schedule saved.")
            return redirect(publication)
    context = {**detail_context(request, publication), "schedule_form": form}
    return render(request, "publishing/detail.html", context)


def _schedule_action(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    """Pause or resume: the service decides, the page says what happened."""
    publication, schedule = _schedule_for(request, pk)
    if schedule is not None:
        try:
            service(schedule=schedule, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    return redirect(publication)


@login_required
@require_POST
def schedule_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _schedule_action(
        request,
        pk,
        schedule_services.schedule_pause,
        "Schedule paused: no run starts until it is resumed.",
    )


@login_required
@require_POST
def schedule_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _schedule_action(
        request,
        pk,
        schedule_services.schedule_resume,
        "Schedule resumed from now; missed runs are not made up.",
    )
