"""Forms of upkeep: giving an unclaimed portal asset to an agency (ADR 0009), starting a
retirement (ADR 0010)."""

from __future__ import annotations

from django import forms

from agencies.forms import UswdsFormMixin
from agencies.models import Agency
from inventories.models import Dataset
from upkeep.models import RetirementCriterion


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


class RetirementForm(UswdsFormMixin, forms.Form):
    criterion = forms.ChoiceField(
        choices=[("", "— choose —"), *RetirementCriterion.choices],
        label="Why it is retired (Handbook criterion)",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In plain language; shown on the public list of retired assets.",
    )
    superseded_by = forms.CharField(
        label="Superseding asset (optional)",
        max_length=500,
        required=False,
        help_text="Its portal id (abcd-1234) or its URL.",
    )
    archive_url = forms.URLField(
        label="Link to an archived copy (optional)",
        max_length=500,
        required=False,
        help_text="For example in the Connecticut State Library Digital Archive.",
    )
