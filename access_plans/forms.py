from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from access_plans.choices import CRITERIA, EVALUATION, PUBLISHING_INTENTS, REASONS, Intent
from access_plans.models import AccessPlan, PlanItem
from agencies.forms import PersonChoiceField, UswdsFormMixin
from inventories.models import Dataset

EVALUATION_FIELDS = [f"{name}{suffix}" for name, _ in EVALUATION for suffix in ("", "_note")]
REASON_FIELDS = [f"{name}{suffix}" for name, _ in REASONS for suffix in ("", "_note")]
CRITERIA_FIELDS = [name for name, _ in CRITERIA]
PRIVACY_FIELDS = [
    "privacy_treatment",
    "aggregation_level",
    "identifiers_removed",
    "suppression_threshold",
    "exception_justification",
]
PUBLICATION_FIELDS = ["method", "target_date", "update_frequency", "update_process", "owner"]
ITEM_FIELDS = [
    "intent",
    "not_publishable_reason",
    *EVALUATION_FIELDS,
    "evaluation_justification",
    *REASON_FIELDS,
    *CRITERIA_FIELDS,
    "priority_override",
    "priority_override_reason",
    *PRIVACY_FIELDS,
    *PUBLICATION_FIELDS,
]
_PUBLISHING = [
    *EVALUATION_FIELDS,
    "evaluation_justification",
    *REASON_FIELDS,
    *CRITERIA_FIELDS,
    "priority_override",
    "priority_override_reason",
    *PUBLICATION_FIELDS,
]
# What each intent asks for besides the dataset and the intent (PlanItem.clean's rules): an
# item that publishes is evaluated, prioritised and scheduled; a retirement has a date and an
# owner; an unpublishable dataset, the reason. Privacy treatment only for flagged datasets.
INTENT_FIELDS: dict[str, list[str]] = {
    **dict.fromkeys(PUBLISHING_INTENTS, _PUBLISHING),
    Intent.RETIRE: ["target_date", "owner"],
    Intent.NOT_PUBLISHABLE: ["not_publishable_reason"],
}
# The inventory's reasons to publish (Publishing guidance, step 2) carried into a new item.
INVENTORY_REASONS = {
    "reason_foi": "foi_subject",
    "reason_shared": "shared_with_agencies",
    "reason_grants": "grant_reporting",
    "reason_analysis": "trend_analysis",
    "reason_requested": "frequently_requested",
    "reason_high_impact": "high_impact",
}


def intents_asking(name: str, *, privacy: bool) -> list[str]:
    """The intents whose item has field `name` (all of them for the dataset and the intent)."""
    if name in ("dataset", "intent"):
        return list(Intent.values)
    if name in PRIVACY_FIELDS:
        return sorted(PUBLISHING_INTENTS) if privacy else []
    return [intent for intent, names in INTENT_FIELDS.items() if name in names]


def inventory_initial(dataset: Dataset) -> dict[str, Any]:
    """A new item starts from what the inventory already says about the dataset."""
    initial: dict[str, Any] = {
        field: getattr(dataset, attr) for field, attr in INVENTORY_REASONS.items()
    }
    if dataset.requests_per_year:
        initial["reason_requested_note"] = f"About {dataset.requests_per_year} requests a year."
    initial["crit_machine_readable"] = dataset.machine_readable
    if dataset.update_frequency:
        initial["update_frequency"] = dataset.update_frequency
    return initial


class ErrorSummaryMixin:
    def error_links(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) of every field error, for the summary at the top of the
        form (includes/error_summary.html): a radio group is reached by its first radio."""
        links = []
        for name, errors in self.errors.items():
            if name not in self.fields:
                continue
            field = self[name]
            radio = field.widget_type == "radioselect"
            anchor = f"{field.auto_id}_0" if radio else field.auto_id
            links += [(anchor, str(field.label), error) for error in errors]
        return links


class DatasetChoice(forms.ModelChoiceField):
    def label_from_instance(self, dataset: Dataset) -> str:
        flags = " (privacy flags)" if dataset.has_privacy_flags else ""
        return f"{dataset.title}{flags}"


class ItemStartForm(ErrorSummaryMixin, UswdsFormMixin, forms.Form):
    """First step of a new item: the dataset and the intent decide what the item asks for."""

    dataset = DatasetChoice(queryset=None, label="Dataset from the inventory")
    intent = forms.ChoiceField(
        choices=Intent.choices, widget=forms.RadioSelect, label="What the plan does with it"
    )

    def __init__(self, *args, plan: AccessPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = open_datasets(plan)


def open_datasets(plan: AccessPlan):
    """The plan inventory's datasets that have no item yet."""
    return plan.inventory.datasets.exclude(pk__in=plan.items.values("dataset_id"))


class PlanItemForm(ErrorSummaryMixin, UswdsFormMixin, forms.ModelForm):
    """One plan item, showing the fields of its intent. The fields of other intents stay on the
    page, hidden and disabled (static/js/plan_item.js shows them when the intent changes); a
    disabled field keeps its saved value whatever is posted. The rules live in PlanItem.clean(),
    which the service runs."""

    dataset = forms.ModelChoiceField(
        queryset=None, label="Dataset from the inventory", widget=forms.HiddenInput
    )
    owner = PersonChoiceField(queryset=User.objects.none(), required=False, label="Owner")

    class Meta:
        model = PlanItem
        fields = ITEM_FIELDS
        widgets = {
            "intent": forms.Select,  # chosen at the first step; a select is compact here
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "not_publishable_reason": forms.Textarea(attrs={"rows": 2}),
            "evaluation_justification": forms.Textarea(attrs={"rows": 3}),
            "exception_justification": forms.Textarea(attrs={"rows": 3}),
            "update_process": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan: AccessPlan, dataset: Dataset | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if self.instance.pk:
            del self.fields["dataset"]
            dataset = self.instance.dataset
        else:
            self.fields["dataset"].queryset = open_datasets(plan)
            dataset = dataset or self._posted_dataset()
        self.item_dataset = dataset
        self.fields["owner"].queryset = User.objects.filter(
            memberships__agency=plan.agency, memberships__end_date__isnull=True, is_active=True
        ).distinct()
        self.fields["intent"].choices = self.fields["intent"].choices[1:]  # no empty choice
        self.fields["intent"].label = "What the plan does with the dataset"
        for name in [n for n in self.fields if n.endswith("_note")]:
            question = self.fields[name.removesuffix("_note")].label
            self.fields[name].label = f"Note on “{question}” (optional)"
        self.intent = self._current_intent()
        self.privacy = dataset is None or dataset.has_privacy_flags
        for name, field in self.fields.items():
            field.intents = intents_asking(name, privacy=self.privacy)
            field.shown = self.intent is None or self.intent in field.intents
            if not field.shown:
                field.disabled = True  # keeps the saved value; the intent does not ask for it

    def _posted_dataset(self) -> Dataset | None:
        pk = self.data.get("dataset", "") if self.is_bound else ""
        return self.fields["dataset"].queryset.filter(pk=pk).first() if str(pk).isdigit() else None

    def _current_intent(self) -> str | None:
        intent = self.data.get("intent") if self.is_bound else self.initial.get("intent")
        intent = intent or (self.instance.intent if self.instance.pk else None)
        return intent if intent in INTENT_FIELDS else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The item's rules (PlanItem.clean) depend on the dataset's privacy flags: attach it
        # before the model validation, so every error shows on the first submission.
        if data.get("dataset") is not None:
            self.instance.dataset = data["dataset"]
        return data

    def fieldsets(self) -> list[dict[str, Any]]:
        """The parts of the form; what is seldom needed is folded under `more` (a <details>,
        opened when one of its fields has an error; its summary counts the answers in it)."""
        eval_notes = [n for n in EVALUATION_FIELDS if n.endswith("_note")]
        groups = [
            ("The intent", ["intent", "not_publishable_reason"], [], ""),
            (
                "Evaluation: publish only if every condition holds",
                [n for n in EVALUATION_FIELDS if not n.endswith("_note")],
                ["evaluation_justification", *eval_notes],
                "Justification if a condition does not hold, and notes",
            ),
            (
                "Reasons to publish",
                [n for n in REASON_FIELDS if not n.endswith("_note")],
                [n for n in REASON_FIELDS if n.endswith("_note")],
                "Notes on the reasons (optional)",
            ),
            (
                "Prioritisation",
                CRITERIA_FIELDS,
                ["priority_override", "priority_override_reason"],
                "Override the computed priority (optional)",
            ),
            ("Privacy treatment (the inventory flags privacy concerns)", PRIVACY_FIELDS, [], ""),
            ("Publication", PUBLICATION_FIELDS, [], ""),
        ]
        return [self._fieldset(*group) for group in groups]

    def _fieldset(self, legend: str, names: list[str], more: list[str], summary: str) -> dict:
        fields = [self[n] for n in names if n in self.fields]
        folded = [self[n] for n in more if n in self.fields]
        intents = sorted({i for f in fields + folded for i in f.field.intents})
        return {
            "legend": legend,
            "fields": fields,
            "more": folded,
            "more_summary": summary,
            "more_open": any(f.errors for f in folded),
            "more_written": sum(1 for f in folded if f.value() not in (None, "", False)),
            "intents": " ".join(intents),
            "shown": any(f.field.shown for f in fields + folded),
        }

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
