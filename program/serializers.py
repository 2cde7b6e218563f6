from __future__ import annotations

from rest_framework import serializers

from program.models import DataRequest


class DataRequestOutputSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    dataset_uid = serializers.UUIDField(source="dataset.uid", read_only=True, allow_null=True)
    dataset_title = serializers.CharField(source="dataset.title", read_only=True, allow_null=True)
    response_days = serializers.IntegerField(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = DataRequest
        fields = [
            "id",
            "agency",
            "received_on",
            "requester_type",
            "summary",
            "dataset_uid",
            "dataset_title",
            "due_date",
            "status",
            "responded_on",
            "response_days",
            "is_overdue",
        ]


class DashboardRowSerializer(serializers.Serializer):
    """One agency's dashboard figures for the year."""

    agency = serializers.CharField(source="agency.slug")
    agency_name = serializers.CharField(source="agency.name")
    ado = serializers.CharField(allow_null=True)
    inventory_status = serializers.CharField()
    plan_status = serializers.CharField()
    planned = serializers.IntegerField(source="figures.planned")
    published = serializers.IntegerField(source="figures.published")
    stale = serializers.IntegerField()
    failing = serializers.IntegerField()
    retiring = serializers.IntegerField()
    metadata_completeness = serializers.IntegerField(source="completeness", allow_null=True)
    last_activity = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["ado"] = instance.ado.user.username if instance.ado else None
        return data
