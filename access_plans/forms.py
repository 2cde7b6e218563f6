from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from access_plans.models import AccessPlan, PlanItem
from agencies.forms import PersonChoiceField, UswdsFormMixin

ITEM_FIELDS = [
    "intent",
    "not_publishable_reason",
    *[f"{name}{suffix}" for name in PlanItem.EVALUATION_FIELDS for suffix in ("", "_note")],
    "evaluation_justification",
    *[
        f"{name}{suffix}"
        for name in [
            "reason_foi",
            "reason_shared",
            "reason_grants",
            "reason_analysis",
            "reason_requested",
            "reason_high_impact",
        ]
        for suffix in ("", "_note")
    ],
    *PlanItem.CRITERIA_FIELDS,
    "priority_override",
    "priority_override_reason",
    "privacy_treatment",
    "aggregation_level",
    "identifiers_removed",
    "suppression_threshold",
    "exception_justification",
    "method",
    "target_date",
    "update_frequency",
    "update_process",
    "owner",
]


class PlanItemForm(UswdsFormMixin, forms.ModelForm):
    """One plan item. The rules live in PlanItem.clean(), which the service runs."""

    dataset = forms.ModelChoiceField(queryset=None, label="Dataset from the inventory")
    owner = PersonChoiceField(queryset=User.objects.none(), required=False, label="Owner")

    class Meta:
        model = PlanItem
        fields = ITEM_FIELDS
        widgets = {
            "intent": forms.RadioSelect,
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "not_publishable_reason": forms.Textarea(attrs={"rows": 2}),
            "evaluation_justification": forms.Textarea(attrs={"rows": 3}),
            "exception_justification": forms.Textarea(attrs={"rows": 3}),
            "update_process": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan: AccessPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if self.instance.pk:
            del self.fields["dataset"]
        else:
            taken = plan.items.values("dataset_id")
            self.fields["dataset"].queryset = plan.inventory.datasets.exclude(pk__in=taken)
        self.fields["owner"].queryset = User.objects.filter(
            memberships__agency=plan.agency, memberships__end_date__isnull=True, is_active=True
        ).distinct()
        self.fields["intent"].choices = self.fields["intent"].choices[1:]  # no empty radio
        for name in [n for n in self.fields if n.endswith("_note")]:
            question = self.fields[name.removesuffix("_note")].label
            self.fields[name].label = f"Note on “{question}” (optional)"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The item's rules (PlanItem.clean) depend on the dataset's privacy flags: attach it
        # before the model validation, so every error shows on the first submission.
        if data.get("dataset") is not None:
            self.instance.dataset = data["dataset"]
        return data

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        groups = [
            ("The dataset and the intent", ["dataset", "intent", "not_publishable_reason"]),
            (
                "Evaluation: publish only if every condition holds",
                [n for n in ITEM_FIELDS if n.startswith("eval_")] + ["evaluation_justification"],
            ),
            ("Reasons to publish", [n for n in ITEM_FIELDS if n.startswith("reason_")]),
            (
                "Prioritisation",
                [*PlanItem.CRITERIA_FIELDS, "priority_override", "priority_override_reason"],
            ),
            (
                "Privacy treatment (required when the dataset has privacy flags)",
                [
                    "privacy_treatment",
                    "aggregation_level",
                    "identifiers_removed",
                    "suppression_threshold",
                    "exception_justification",
                ],
            ),
            (
                "Publication",
                ["method", "target_date", "update_frequency", "update_process", "owner"],
            ),
        ]
        return [(legend, [self[n] for n in names if n in self.fields]) for legend, names in groups]

    def item_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ITEM_FIELDS}


class StartPlanForm(UswdsFormMixin, forms.Form):
    year = forms.IntegerField(min_value=2014, max_value=2100)


class ReviewForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve the plan"), ("request_changes", "Request changes")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Comment to the agency",
        help_text="Required when requesting changes.",
    )
