"""The form that gives an unclaimed portal asset to an agency (ADR 0009)."""

from __future__ import annotations

from django import forms

from agencies.forms import UswdsFormMixin
from agencies.models import Agency
from inventories.models import Dataset


class AgencyChoiceForm(UswdsFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), to_field_name="slug", label="Agency"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.active().order_by("name")


class DatasetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Dataset) -> str:
        return f"{obj.title} ({obj.inventory.year} inventory)"


class AssignForm(AgencyChoiceForm):
    dataset = DatasetChoiceField(
        queryset=Dataset.objects.none(),
        required=False,
        empty_label="No particular dataset",
        help_text="Optional: the inventory dataset this asset publishes.",
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].widget = forms.HiddenInput()
        self.fields["dataset"].queryset = (
            Dataset.objects.filter(agency=agency)
            .select_related("inventory")
            .order_by("title", "-inventory__year")
        )
