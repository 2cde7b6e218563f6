from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q

from agencies import permissions
from agencies.forms import UswdsFormMixin
from agencies.models import Agency
from inventories.models import Dataset
from sharing.models import TERMS, Agreement

# The first bytes of each accepted document type: a renamed executable is refused.
SIGNATURES = {"pdf": [b"%PDF-"], "docx": [b"PK\x03\x04"], "odt": [b"PK\x03\x04"]}
SIGNATURES["doc"] = [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


class AgreementForm(UswdsFormMixin, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [*TERMS, "document"]
        labels = {"parties": "Agency parties", "contributors": "Contributing agencies"}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "outside_parties": forms.Textarea(attrs={"rows": 3}),
            "renewal_terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Agency.objects.order_by("name")
        self.fields["contributors"].queryset = Agency.objects.order_by("name")
        # Accepted inventories (public titles) and the user's own agencies' rows.
        own = permissions.visible_datasets(user).values("pk")
        datasets = Dataset.objects.filter(Q(inventory__status="accepted") | Q(pk__in=own))
        self.fields["datasets"].queryset = datasets.select_related("agency", "inventory").order_by(
            "agency__name", "title", "-inventory__year"
        )
        self.fields["datasets"].label_from_instance = lambda d: (
            f"{d.agency.acronym or d.agency.name}: {d.title} ({d.inventory.year})"
        )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document or not hasattr(document, "content_type"):
            return document  # unchanged
        if document.size > settings.CTODP_SHARING_DOCUMENT_MAX_BYTES:
            limit = settings.CTODP_SHARING_DOCUMENT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The document is larger than {limit} MB.")
        extension = document.name.rsplit(".", 1)[-1].lower()
        if extension not in SIGNATURES:
            raise forms.ValidationError(
                "The document must be a PDF, Word or OpenDocument file (.pdf, .docx, .doc, .odt)."
            )
        head = document.read(8)
        document.seek(0)
        if not any(head.startswith(sig) for sig in SIGNATURES.get(extension, [])):
            raise forms.ValidationError(
                "The document must be a PDF, Word or OpenDocument file (its content does not "
                f"match “.{extension}”)."
            )
        return document

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date cannot be before the start date.")
        parties = data.get("parties")
        own = parties is None or permissions.is_program_staff(self.user)
        if not own and not any(self.user.has_perm("sharing.add_agreement", p) for p in parties):
            self.add_error("parties", "Your agency must be one of the parties.")
        return data
