from rest_framework import serializers

from privacy.models import PrivacyException, PrivacyScreen, SuppressionJob

MAX_GROUPS = 4


class AggregationInputSerializer(serializers.Serializer):
    by = serializers.ListField(
        child=serializers.CharField(max_length=300),
        min_length=1,
        max_length=MAX_GROUPS,
        help_text="Confirmed column names; `Column:year`, `Column:month` for a date, "
        "`Column:age5`, `Column:age10` for an age (bands with 90+).",
    )
    value = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, help_text="Empty: count."
    )
    threshold = serializers.IntegerField(min_value=1, max_value=100, default=5)

    def __init__(self, *args, choices: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices or []

    def validate_by(self, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in self.choices]
        if unknown:
            raise serializers.ValidationError(
                f"Not a confirmed column or grouping: {', '.join(unknown)}."
            )
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Each grouping at most once.")
        return value


class CellSerializer(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField())
    value = serializers.FloatField(allow_null=True, help_text="Empty where suppressed.")
    suppressed = serializers.BooleanField()


class AggregationOutputSerializer(serializers.Serializer):
    by = serializers.ListField(child=serializers.CharField())
    value = serializers.CharField()
    threshold = serializers.IntegerField()
    cells = serializers.IntegerField()
    hidden = serializers.IntegerField()
    audit_passed = serializers.BooleanField()
    complements_added = serializers.IntegerField()
    rows = CellSerializer(many=True, help_text="The first cells (the page's preview).")


class AggregationJobSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:aggregation-detail")

    class Meta:
        model = SuppressionJob
        fields = [
            "id",
            "url",
            "publication",
            "by",
            "value",
            "threshold",
            "status",
            "rows_read",
            "result",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ScreenInputSerializer(serializers.Serializer):
    threshold = serializers.IntegerField(
        min_value=1, max_value=1000, default=5, help_text="The smallest safe group size."
    )
    quasi = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        default=list,
        max_length=50,
        help_text="Quasi-identifier columns; empty: the columns the screen finds.",
    )


class ScreenOutputSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:privacy-screen-detail")
    is_current = serializers.BooleanField(
        read_only=True, help_text="It read the publication's present source."
    )

    class Meta:
        model = PrivacyScreen
        fields = [
            "id",
            "url",
            "publication",
            "status",
            "rows_read",
            "threshold",
            "quasi_identifiers",
            "verdict",
            "k",
            "records_at_risk",
            "is_current",
            "error",
            "report",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ExceptionInputSerializer(serializers.Serializer):
    justification = serializers.CharField(
        max_length=5000, help_text="Why the data may be published despite the high risk."
    )


class ExceptionOutputSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    approved_by = serializers.CharField(
        source="approved_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = PrivacyException
        fields = [
            "id",
            "publication",
            "screen",
            "justification",
            "requested_by",
            "requested_at",
            "approved_by",
            "approved_at",
        ]
        read_only_fields = fields
