from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from sharing.models import TERMS, Agreement, AgreementStatus


class AgencyRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class DatasetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uid = serializers.UUIDField()
    title = serializers.CharField()
    agency = serializers.CharField(source="agency.slug")
    year = serializers.IntegerField(source="inventory.year")


class AgreementOutputSerializer(serializers.ModelSerializer):
    parties = AgencyRefSerializer(many=True)
    contributors = AgencyRefSerializer(many=True)
    datasets = DatasetRefSerializer(many=True)
    outside_parties = serializers.ListField(
        child=serializers.CharField(), source="outside_party_list"
    )
    effective_status = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", *TERMS, "effective_status", "document_url", "updated_at"]

    def get_effective_status(self, agreement: Agreement) -> str:
        return agreement.effective_status()

    def get_document_url(self, agreement: Agreement) -> str | None:
        if not agreement.document:
            return None
        return reverse("sharing:document", args=[agreement.pk])


class CoreDatasetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="dataset.id")
    uid = serializers.UUIDField(source="dataset.uid")
    title = serializers.CharField(source="dataset.title")
    agency = serializers.CharField(source="dataset.agency.slug")
    other_agencies = serializers.IntegerField(help_text="Agencies besides the owner using it.")
    core = serializers.BooleanField()


class AgreementInputSerializer(serializers.Serializer):
    """The agreement form's fields (sharing/forms.py checks them, as on the page). The signed
    document is uploaded on the agreement's page only."""

    title = serializers.CharField(max_length=200)
    parties = serializers.ListField(
        child=serializers.SlugField(), max_length=100, help_text="Agencies that signed it (slugs)."
    )
    with_opm = serializers.BooleanField(default=False, help_text="OPM is a party.")
    outside_parties = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=100
    )
    datasets = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=500
    )
    contributors = serializers.ListField(
        child=serializers.SlugField(), required=False, max_length=100
    )
    purpose = serializers.CharField(max_length=20000)
    legal_basis = serializers.CharField(max_length=20000)
    security_terms = serializers.CharField(max_length=20000)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    renewal_terms = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    status = serializers.ChoiceField(choices=AgreementStatus.choices)
