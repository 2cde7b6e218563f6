"""API representations of inventories and datasets.

Writes are validated by the same forms as the browser (DatasetForm, StartInventoryForm); the
*Input serializers here describe the request bodies for the API schema, they add no rules.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.reverse import reverse

from inventories.choices import Criterion
from inventories.forms import DatasetForm
from inventories.models import Dataset, Inventory


class DatasetOutputSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:dataset-detail")
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    year = serializers.IntegerField(source="inventory.year", read_only=True)
    inventory_status = serializers.CharField(source="inventory.status", read_only=True)
    criteria = serializers.ListField(
        child=serializers.ChoiceField(choices=Criterion.choices), read_only=True
    )
    portal_url = serializers.CharField(read_only=True)

    class Meta:
        model = Dataset
        fields = [
            "id",
            "url",
            "uid",
            "inventory",
            "agency",
            "year",
            "inventory_status",
            "criteria",
            *DatasetForm._meta.fields,
            "portal_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # DRF drops allow_blank from read-only fields, so the schema would refuse the "" that an
        # empty optional URL or choice holds; keep it.
        blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank:
            kwargs["allow_blank"] = True
        return kwargs


class DatasetInputSerializer(serializers.ModelSerializer):
    """A dataset write. `inventory` is needed to create one; it cannot be changed afterwards."""

    inventory = serializers.IntegerField(
        required=False, help_text="Id of an inventory you may edit (when creating)."
    )
    criteria = serializers.MultipleChoiceField(
        choices=Criterion.choices, help_text="High-value criteria (CGS §4-67o), at least one."
    )

    class Meta:
        model = Dataset
        fields = ["inventory", "criteria", *DatasetForm._meta.fields]


class InventoryOutputSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:inventory-detail")
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    dataset_count = serializers.IntegerField(read_only=True)
    datasets = serializers.SerializerMethodField()

    class Meta:
        model = Inventory
        fields = [
            "id",
            "url",
            "agency",
            "agency_name",
            "year",
            "status",
            "due_date",
            "is_overdue",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "dataset_count",
            "datasets",
        ]
        read_only_fields = fields

    def get_datasets(self, inventory: Inventory) -> str:
        """The inventory's datasets in the dataset list."""
        listing = reverse("api:dataset-list", request=self.context.get("request"))
        return f"{listing}?inventory={inventory.pk}"


class InventoryStartSerializer(serializers.Serializer):
    """Open an agency's inventory for a year; the latest one's datasets are carried forward."""

    agency = serializers.SlugField(help_text="Slug of an agency you may start inventories for.")
    year = serializers.IntegerField(min_value=2014, max_value=2100)


class InventorySubmitSerializer(serializers.Serializer):
    """The ADO's submission, attesting to the statement the submit page shows."""

    attested_name = serializers.CharField(
        max_length=200, help_text="Your full name: typing it attests to the statement."
    )
    confirm = serializers.BooleanField(help_text="Must be true: I attest to the statement.")


class DatasetCommentSerializer(serializers.Serializer):
    dataset = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    text = serializers.CharField(allow_blank=True)


class InventoryReturnSerializer(serializers.Serializer):
    """Send a submitted inventory back: a comment, comments on single datasets, or both."""

    comment = serializers.CharField(required=False, allow_blank=True, default="")
    dataset_comments = DatasetCommentSerializer(many=True, required=False, default=list)
