from __future__ import annotations

from django import forms

from agencies.forms import UswdsFormMixin
from agencies.models import Agency
from inventories.models import Dataset
from program.models import DataRequest, RequesterType, Topic


class DataRequestForm(forms.ModelForm):
    class Meta:
        model = DataRequest
        fields = [
            "received_on",
            "requester_type",
            "summary",
            "dataset",
            "due_date",
            "status",
            "responded_on",
            "public_reply",
            "internal_note",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "responded_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only this agency's datasets, newest inventory year first.
        self.fields["dataset"].queryset = Dataset.objects.filter(agency=agency).order_by(
            "-inventory__year", "title"
        )
        self.fields["dataset"].label_from_instance = lambda d: f"{d.title} ({d.inventory.year})"
        self.fields["dataset"].queryset = self.fields["dataset"].queryset.select_related(
            "inventory"
        )

    def clean(self) -> dict:
        data = super().clean()
        received, due = data.get("received_on"), data.get("due_date")
        responded = data.get("responded_on")
        if received and due and due < received:
            self.add_error("due_date", "The due date cannot be before the request was received.")
        if received and responded and responded < received:
            self.add_error("responded_on", "The response cannot be before the request.")
        if data.get("status") not in (None, "open") and not responded:
            self.add_error("responded_on", "Give the response date for a closed request.")
        return data


class PublicRequestForm(UswdsFormMixin, forms.Form):
    """The catalog's "Request data / report a problem" form (ADR 0027): anyone may send it."""

    topic = forms.ChoiceField(
        label="What would you like to do?", choices=Topic.choices, widget=forms.RadioSelect
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.active().order_by("name"),
        empty_label="Choose an agency",
    )
    summary = forms.CharField(
        label="In one line", max_length=500, help_text="The data you need, or what is wrong."
    )
    details = forms.CharField(
        label="Details", max_length=4000, required=False, widget=forms.Textarea
    )
    requester_type = forms.ChoiceField(
        label="Who are you asking as?", choices=RequesterType.choices, initial=RequesterType.PUBLIC
    )
    requester_name = forms.CharField(label="Your name", max_length=200, required=False)
    requester_email = forms.EmailField(
        label="Your e-mail address", help_text="We send the receipt and a link to follow it here."
    )
    # A trap for form-filling robots: hidden from people (CSS and aria-hidden), left empty by them.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, dataset: Dataset | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        if dataset is not None:
            # A request about a dataset goes to the agency that lists it.
            del self.fields["agency"]

    @property
    def is_trapped(self) -> bool:
        return bool(self.data.get("website"))

    def target_agency(self) -> Agency:
        return self.dataset.agency if self.dataset else self.cleaned_data["agency"]
