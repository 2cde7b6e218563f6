from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from agencies.forms import UswdsFormMixin
from inventories import uploads
from inventories.choices import AccessLevel, Availability, Criterion
from inventories.models import Dataset, Inventory
from inventories.services import CONTENT_FIELDS

CRITERION_FIELDS = [(letter, f"criterion_{letter.lower()}") for letter in Criterion.values]
URL_FOR_AVAILABILITY = {
    Availability.PORTAL: "portal_id",
    Availability.GEO_PORTAL: "geo_portal_url",
    Availability.AGENCY_WEBSITE: "agency_url",
}


def _no_constraint_check(exclude=None) -> None:
    return None


class DatasetForm(UswdsFormMixin, forms.ModelForm):
    """The one set of rules for a dataset: the browser form, the spreadsheet import and the API
    all validate through it."""

    criteria = forms.MultipleChoiceField(
        choices=Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        label="High-value criteria (CGS §4-67o)",
        help_text="Choose every criterion the department head determined applies; at least one.",
    )

    class Meta:
        model = Dataset
        fields = [name for name in CONTENT_FIELDS if name not in Dataset.CRITERION_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "portal_id": forms.TextInput(attrs={"placeholder": "abcd-1234"}),
        }

    def __init__(self, *args, inventory: Inventory, titles: dict[str, int] | None = None, **kw):
        """`titles` (lower-cased title -> dataset pk) spares a query per row in bulk imports."""
        super().__init__(*args, **kw)
        self.inventory = inventory
        self.titles = titles
        if self.instance.pk:
            self.initial.setdefault("criteria", self.instance.criteria)

    def rebind(self, data: dict[str, Any], instance: Dataset) -> None:
        """Validate another row with this same form: building a form per row of a 10,000-row
        import costs more than the validation itself."""
        self.data, self.is_bound, self._errors = data, True, None
        self.instance = instance
        self._bound_fields_cache = {}
        self.initial = {}

    def _post_clean(self) -> None:
        # The model's constraints are not re-checked here: clean() enforces the rule of
        # non_public_needs_reason, the other constraint involves fields this form does not edit,
        # and the database enforces both on save. Checking them per form costs more than all
        # other validation of a 10,000-row import together.
        self.instance.validate_constraints = _no_constraint_check
        try:
            super()._post_clean()
        finally:
            del self.instance.validate_constraints

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if self.titles is not None:
            clash = self.titles.get(title.lower(), self.instance.pk) != self.instance.pk
        else:
            others = self.inventory.datasets.exclude(pk=self.instance.pk)
            clash = others.filter(title__iexact=title).exists()
        if clash:
            raise forms.ValidationError(f"This inventory already lists a dataset titled {title!r}.")
        return title

    def clean_portal_id(self) -> str:
        return self.cleaned_data["portal_id"].strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("access_level", AccessLevel.PUBLIC) != AccessLevel.PUBLIC and not data.get(
            "access_reason"
        ):
            self.add_error("access_reason", "Give the legal or policy reason it is not public.")
        required_link = URL_FOR_AVAILABILITY.get(data.get("availability"))
        if required_link and not data.get(required_link) and required_link not in self.errors:
            label = Dataset._meta.get_field(required_link).verbose_name
            self.add_error(required_link, f"Give the {label} where it is available now.")
        return data

    def dataset_data(self) -> dict[str, Any]:
        """Model field values for the services, criteria spread back to their columns."""
        model_fields = self._meta.model._meta._forward_fields_map
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "criteria" and name in model_fields
        }
        chosen = set(self.cleaned_data.get("criteria", []))
        for letter, name in CRITERION_FIELDS:  # run per row by the import: no enum lookups
            data[name] = letter in chosen
        return data


class ImportUploadForm(UswdsFormMixin, forms.Form):
    file = forms.FileField(
        label="Spreadsheet (CSV or XLSX, up to 20 MB)",
        help_text="Use the template's columns. Nothing is saved until you confirm the preview.",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CTODP_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}."
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        try:  # before it is stored: a hostile workbook or a 100,000-column CSV stops here
            uploads.check_upload(upload, upload.name)
        except uploads.UploadRefusedError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class StartInventoryForm(UswdsFormMixin, forms.Form):
    year = forms.IntegerField(min_value=2014, max_value=2100)


class SubmitForm(UswdsFormMixin, forms.Form):
    attested_name = forms.CharField(
        max_length=200,
        label="Your full name",
        help_text="Typing your name attests to the statement above.",
    )
    confirm = forms.BooleanField(label="I attest to the statement above.")


class ReviewForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept the inventory"), ("return", "Return it with comments")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Comment to the agency",
        help_text="Required when returning, unless you comment on single datasets below.",
    )
