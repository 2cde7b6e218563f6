"""The schedule section of a publication's page: set or change, pause, resume (ADR 0008)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agencies import permissions
from agencies.forms import add_service_errors
from publishing.forms import ScheduleForm
from publishing.models import Publication, PublicationSchedule
from publishing.schedules import services as schedule_services
from publishing.views import detail_context

MANAGE = "publishing.manage_publication"


def _schedule_for(request: HttpRequest, pk: int) -> tuple[Publication, PublicationSchedule]:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    schedule = PublicationSchedule.objects.filter(publication=publication).first()
    if schedule is None:
        messages.error(request, "The publication has no schedule.")
    return publication, schedule


@login_required
@require_POST
def schedule_set(request: HttpRequest, pk: int) -> HttpResponse:

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
