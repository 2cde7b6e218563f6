from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from agencies.forms import UswdsFormMixin
from publishing import sql
from publishing.models import DEFAULT_TIME_ZONE, Kind, License, Mode, ScheduleKind, Weekday

DELETE_MISSING_HELP = (
    "After each push, rows on the portal whose row identifier the source no longer ha"
    "s are deleted. Upsert only; without it such rows stay and the run warns about them."
)


class DatasetChoiceField(forms.ModelChoiceField):
    """A data asset by its title, the inventory year of the row offered, and its agency."""

    def label_from_instance(self, dataset) -> str:
        agency = dataset.agency.acronym or dataset.agency.name
        return f"{dataset.title} — {dataset.inventory.year} inventory, {agency}"


class PublicationForm(UswdsFormMixin, forms.Form):
    dataset = DatasetChoiceField(
        queryset=None, help_text="A dataset of your agency, from its newest inventory."
    )
    kind = forms.ChoiceField(
        choices=Kind.choices, initial=Kind.ROWS, widget=forms.RadioSelect, label="What to publish"
    )
    mode = forms.ChoiceField(
        choices=Mode.choices,
        initial=Mode.UPSERT,
        widget=forms.RadioSelect,
        label="How each push writes rows",
        help_text="An upsert needs a row identifier, picked when you confirm the columns.",
    )
    portal_id = forms.CharField(
        label="Existing portal id (optional)",
        max_length=9,
        required=False,
        help_text="Adopt an asset already on the portal; leave empty to create a new one.",
        widget=forms.TextInput(attrs={"placeholder": "abcd-1234"}),
    )
    external_url = forms.URLField(
        label="External URL", required=False, help_text="For an external link only."
    )
    license = forms.ChoiceField(choices=[("", "—"), *License.choices], required=False)
    delete_missing = forms.BooleanField(
        label="Delete rows missing from the source", required=False, help_text=DELETE_MISSING_HELP
    )

    def __init__(self, *args, datasets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets


class SourceForm(UswdsFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a CSV or XLSX file", required=False, help_text="Or give a URL below."
    )
    url = forms.URLField(label="Or a URL (CSV or JSON)", required=False)
    database = forms.ChoiceField(label="Or a configured database", required=False)
    query = forms.CharField(
        label="SQL query", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agency, **kwargs):
        """Only the databases granted to the publication's agency are offered (ADR 0017)."""
        super().__init__(*args, **kwargs)
        names = sql.databases_for(agency)
        self.fields["database"].choices = [("", "—"), *((n, n) for n in names)]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.CTODP_MAX_UPLOAD_BYTES:
            limit = filesizeformat(settings.CTODP_MAX_UPLOAD_BYTES)
            raise forms.ValidationError(f"The file is larger than {limit}.")
        return upload


class ColumnsForm(UswdsFormMixin, forms.Form):
    row_identifier = forms.ChoiceField(
        label="Row identifier",
        required=False,
        help_text="The column whose value is unique in every row; upserts match rows on it.",
    )
    delete_missing = forms.BooleanField(
        label="Delete rows missing from the source", required=False, help_text=DELETE_MISSING_HELP
    )

    def __init__(self, *args, columns: list[dict], described: list[dict] = (), **kwargs):
        """`columns` are the detected ones; `described` the confirmed ones, whose descriptions
        fill the form."""
        super().__init__(*args, **kwargs)
        choices = [(c["field_name"], f"{c['name']} ({c['field_name']})") for c in columns]
        self.fields["row_identifier"].choices = [("", "— none (replace only) —"), *choices]
        written = {c["field_name"]: c.get("description", "") for c in described}
        self.described = [c["field_name"] for c in columns]
        self.columns = columns
        for column in columns:
            self.fields[f"description_{column['field_name']}"] = forms.CharField(
                label=f"Description of “{column['name']}”",
                required=False,
                max_length=1000,
                initial=written.get(column["field_name"], ""),
                widget=forms.TextInput(attrs={"class": "usa-input"}),
            )

    def description_rows(self) -> list[tuple[dict, forms.BoundField]]:
        """Each detected column with its description field (the page lays them out as a table)."""
        return [(c, self[f"description_{c['field_name']}"]) for c in self.columns]

    def descriptions(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"description_{name}"] for name in self.described}


class ScheduleForm(UswdsFormMixin, forms.Form):
    """The schedule's fields; the service checks the cron expression and the time zone."""

    kind = forms.ChoiceField(
        choices=ScheduleKind.choices,
        initial=ScheduleKind.DAILY,
        widget=forms.RadioSelect,
        label="How often",
    )
    time_of_day = forms.TimeField(
        label="Time of day",
        initial=datetime.time(6, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In the schedule's time zone; not used by a cron expression.",
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week (weekly)",
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    day_of_month = forms.IntegerField(
        label="Day of the month (monthly)",
        min_value=1,
        max_value=31,
        required=False,
        help_text="29, 30 or 31 run on the last day of shorter months.",
    )
    cron = forms.CharField(
        label="Cron expression",
        max_length=100,
        required=False,
        help_text="Five fields: minute hour day-of-month month day-of-week, e.g. 30 6 * * 1-5.",
    )
    time_zone = forms.CharField(
        label="Time zone",
        max_length=64,
        initial=DEFAULT_TIME_ZONE,
        help_text="An IANA name such as America/New_York.",
    )
