from rest_framework import serializers

from access_plans.choices import Recommendation
from access_plans.models import AccessPlan, PlanItem, PlanRecommendation
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


# --- Writes: the bodies, for the schema. The rules are the forms' and the services' ----------


class PlanStartSerializer(serializers.Serializer):
    """Start an agency's plan for a year, from that year's inventory or else its latest."""

    agency = serializers.SlugField(help_text="Slug of an agency you may start plans for.")
    year = serializers.IntegerField(min_value=2014, max_value=2100)


class PlanItemInputSerializer(serializers.ModelSerializer):
    """A plan item write. `plan` and `dataset` (a dataset of the plan's inventory without an item
    yet) are needed to create one and cannot be changed afterwards; the other fields are those
    the item's intent asks for (the rest keep their values)."""

    plan = serializers.IntegerField(required=False, help_text="Id of a plan you may edit.")
    dataset = serializers.IntegerField(required=False, help_text="Id of an inventory dataset.")
    owner = serializers.CharField(
        required=False, allow_blank=True, help_text="Username of a current member of the agency."
    )

    class Meta:
        model = PlanItem
        fields = ["plan", "dataset", *[name for name in ITEM_FIELDS if name != "priority"]]


class ItemCommentSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    text = serializers.CharField(allow_blank=True)


class RequestChangesSerializer(serializers.Serializer):
    """Send the plan back: a comment (required) and optional comments on single items."""

    comment = serializers.CharField(allow_blank=True)
    item_comments = ItemCommentSerializer(many=True, required=False, default=list)


class RecommendationInputSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Blank for a comment only.",
    )
    text = serializers.CharField(allow_blank=True, help_text="The comment the CDO will read.")


class RecommendationOutputSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = PlanRecommendation
        fields = ["id", "plan", "version", "author", "recommendation", "text", "created_at"]
