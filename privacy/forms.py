"""Forms of the privacy pages: a screen's settings, an exception request, aggregation."""

from __future__ import annotations

from django import forms

from agencies.forms import UswdsFormMixin
from privacy.engine.classify import name_words


class ScreenForm(UswdsFormMixin, forms.Form):
    threshold = forms.IntegerField(
        min_value=1,
        initial=5,
        label="Smallest safe group size",
        help_text="Records in groups smaller than this count as at risk.",
    )
    quasi = forms.CharField(
        label="Quasi-identifier columns (optional)",
        required=False,
        help_text="Headers separated by commas; leave empty to use the columns the screen finds.",
    )

    def clean_quasi(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["quasi"].split(",") if name.strip()]


class ExceptionForm(UswdsFormMixin, forms.Form):
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the data may be published despite the high risk (for the CDO).",
    )


def grouping_choices(columns: list[dict]) -> list[tuple[str, str]]:
    """Each confirmed column, and the coarser groupings the engine offers (privacy/engine,
    `Column:part`): a date by year or by month, an age in 5- or 10-year bands with 90+ as one
    group — what the screen's advice recommends before suppressing."""
    choices = []
    for column in columns:
        name = column["name"]
        choices.append((name, name))
        if column.get("type") == "calendar_date":
            choices += [(f"{name}:year", f"{name} — year"), (f"{name}:month", f"{name} — month")]
        elif column.get("type") == "number" and "age" in name_words(name):
            choices += [
                (f"{name}:age5", f"{name} — 5-year bands, 90+"),
                (f"{name}:age10", f"{name} — 10-year bands, 90+"),
            ]
    return choices


class SuppressionForm(UswdsFormMixin, forms.Form):
    by = forms.MultipleChoiceField(
        label="Group by",
        widget=forms.CheckboxSelectMultiple,
        help_text="Confirmed columns; dates also by year or month, ages also in bands.",
    )
    value = forms.ChoiceField(
        label="Sum this column (optional)", required=False, help_text="Empty: count records."
    )
    threshold = forms.IntegerField(min_value=1, initial=5, label="Suppress cells from 1 to")

    def __init__(self, *args, columns: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        names = [(c["name"], c["name"]) for c in columns]
        self.fields["by"].choices = grouping_choices(columns)
        self.fields["value"].choices = [("", "— count records —"), *names]


class SaveSuppressedForm(SuppressionForm):
    target = forms.ModelChoiceField(
        queryset=None,
        label="Save as the new source of",
        help_text="A publication of the same agency; its columns must be confirmed again.",
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        # What was previewed is what is saved: the choices travel as hidden fields (and the
        # page has no second set of checkboxes with the same ids).
        self.fields["by"].widget = forms.MultipleHiddenInput()
        for name in ("value", "threshold"):
            self.fields[name].widget = forms.HiddenInput()
