from rest_framework import serializers

from upkeep.models import Retirement, RetirementCriterion


class RetirementInputSerializer(serializers.Serializer):
    criterion = serializers.ChoiceField(
        choices=RetirementCriterion.choices, help_text="Why it is retired (Handbook criterion)."
    )
    reason = serializers.CharField(
        max_length=5000, help_text="In plain language; shown on the public list of retired assets."
    )
    superseded_by = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="The superseding asset's portal id (abcd-1234) or its URL.",
    )
    archive_url = serializers.URLField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="A link to an archived copy.",
    )


class RetirementOutputSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:retirement-detail")
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    started_by = serializers.CharField(source="started_by.username", read_only=True)
    cancelled_by = serializers.CharField(
        source="cancelled_by.username", read_only=True, allow_null=True
    )
    archive_url = serializers.CharField(read_only=True, help_text="Empty when there is none.")

    class Meta:
        model = Retirement
        fields = [
            "id",
            "url",
            "publication",
            "agency",
            "criterion",
            "reason",
            "superseded_by",
            "archive_url",
            "immediate",
            "status",
            "error",
            "started_by",
            "started_at",
            "notice_posted_at",
            "due_at",
            "made_private_at",
            "cancelled_by",
            "cancelled_at",
            "restored_at",
        ]
        read_only_fields = fields
