from __future__ import annotations

from django import forms

from inventories.models import Dataset
from program.models import DataRequest


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
