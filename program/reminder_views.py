"""Each person's reminders: what was sent to them, and the optional ones they turned off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from program.models import OPTIONAL_KINDS, ReminderKind, ReminderOptOut

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
    return render(request, "program/reminders.html", {"form": form, "sent": sent})
