"""Each person's reminders: what was sent to them, and the optional ones they turned off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agencies import notices, permissions
from agencies.models import Agency
from program.models import OPTIONAL_KINDS, ReminderKind, ReminderOptOut

NOTICES_PER_PAGE = 50
OPTIONAL_CHOICES = [(kind.value, kind.label) for kind in ReminderKind if kind in OPTIONAL_KINDS]


class PreferencesForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label="Optional reminders I want",
        choices=OPTIONAL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Overdue filings, returned plans, failed runs and retirement deadlines are "
        "always sent.",
    )


def _save(user, wanted: list[str]) -> None:
    ReminderOptOut.objects.filter(user=user, kind__in=wanted).delete()
    for kind in set(dict(OPTIONAL_CHOICES)) - set(wanted):
        ReminderOptOut.objects.get_or_create(user=user, kind=kind)


@login_required
@require_http_methods(["GET", "POST"])
def my_reminders(request: HttpRequest) -> HttpResponse:
    off = set(request.user.reminder_opt_outs.values_list("kind", flat=True))
    initial = {"wanted": [kind for kind, _ in OPTIONAL_CHOICES if kind not in off]}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _save(request.user, form.cleaned_data["wanted"])
        messages.success(request, "Your reminder choices are saved.")
        return redirect("reminders:mine")
    sent = request.user.reminders.all()[:200]
    received = request.user.notices.select_related("agency")[:20]
    context = {"form": form, "sent": sent, "notices": received}
    return render(request, "program/reminders.html", context)


class NoticeFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", required=False)
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, to_field_name="slug"
    )

    def __init__(self, data, *, staff: bool) -> None:
        super().__init__(data)
        self.fields["kind"].choices = [("", "Any kind"), *sorted(notices.KINDS.items())]
        if staff:
            self.fields["agency"].queryset = Agency.objects.order_by("name")
            self.fields["agency"].empty_label = "Any agency"
        else:
            del self.fields["agency"]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        if self.cleaned_data["kind"]:
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data.get("agency"):
            queryset = queryset.filter(agency=self.cleaned_data["agency"])
        return queryset


@login_required
@require_GET
def notices_log(request: HttpRequest) -> HttpResponse:
    """Every notice sent (program staff, filtered by kind and agency), else the caller's own."""
    staff = bool(permissions.is_program_staff(request.user))
    form = NoticeFilterForm(request.GET, staff=staff)
    rows = form.filter(notices.visible_notices(request.user)).select_related("agency", "recipient")
    page = Paginator(rows, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    for notice in page:
        notice.kind_label = notices.kind_label(notice.kind)
    context = {"form": form, "page": page, "staff": staff}
    return render(request, "program/notices.html", context)
