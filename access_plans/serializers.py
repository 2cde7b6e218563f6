from rest_framework import serializers

from access_plans.models import AccessPlan, PlanItem
from access_plans.snapshots import ITEM_FIELDS


class PlanOutputSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AccessPlan
        fields = [
            "id",
            "url",
            "agency",
            "year",
            "status",
            "version",
            "inventory",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "item_count",
        ]

    def get_url(self, plan: AccessPlan) -> str:
        return self.context["request"].build_absolute_uri(plan.get_absolute_url())


class PlanItemOutputSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="plan.agency.slug", read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)
    dataset_uid = serializers.UUIDField(source="dataset.uid", read_only=True)
    dataset_title = serializers.CharField(source="dataset.title", read_only=True)
    owner = serializers.CharField(
        source="owner.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "plan",
            "agency",
            "year",
            "dataset",
            "dataset_uid",
            "dataset_title",
            *[name for name in ITEM_FIELDS if name != "owner"],
            "owner",
        ]
