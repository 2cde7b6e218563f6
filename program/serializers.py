from __future__ import annotations

from rest_framework import serializers

from program.models import DataRequest, ReminderSent, RequesterType, RequestStatus
from sharing.selectors import OpmStatus

OPM_CHOICES = [OpmStatus.IN_FORCE, OpmStatus.EXPIRED, OpmStatus.NONE]


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


class ScorecardItemSerializer(serializers.Serializer):
    """A plan item to publish, with what happened to it."""

    id = serializers.IntegerField(source="item.pk")
    dataset_uid = serializers.UUIDField(source="item.dataset.uid")
    dataset_title = serializers.CharField(source="item.dataset.title")
    intent = serializers.CharField(source="item.intent")
    target_date = serializers.DateField(source="item.target_date", allow_null=True)
    published_on = serializers.DateField(source="actual.published_on", allow_null=True)
    at_frequency = serializers.BooleanField(source="actual.at_frequency")


class QueueItemSerializer(serializers.Serializer):
    """An approved plan item in a work queue (overdue to publish, or retiring)."""

    id = serializers.IntegerField(source="pk")
    plan = serializers.IntegerField(source="plan_id")
    agency = serializers.CharField(source="plan.agency.slug")
    year = serializers.IntegerField(source="plan.year")
    dataset = serializers.IntegerField(source="dataset_id")
    dataset_uid = serializers.UUIDField(source="dataset.uid")
    dataset_title = serializers.CharField(source="dataset.title")
    intent = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)


class RetirementQueueSerializer(serializers.Serializer):
    """A retirement under way (ADR 0010): the ARCHIVE notice is on, or on its way to, the portal."""

    id = serializers.IntegerField(source="pk")
    publication = serializers.IntegerField(source="publication_id")
    agency = serializers.CharField(source="agency.slug")
    dataset_title = serializers.CharField(source="publication.dataset.title")
    portal_id = serializers.CharField(source="publication.portal_id")
    criterion = serializers.CharField()
    status = serializers.CharField()
    notice_posted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="When it goes private.")


class PublicationStateSerializer(serializers.Serializer):
    """A publication's freshness: its last runs against the dataset's declared frequency."""

    publication = serializers.IntegerField(source="pk")
    agency = serializers.SerializerMethodField()
    title = serializers.CharField()
    portal_id = serializers.CharField()
    update_frequency = serializers.CharField()
    last_success = serializers.DateTimeField(allow_null=True)
    last_run = serializers.IntegerField(source="last_run_id", allow_null=True)
    last_run_status = serializers.CharField(allow_null=True)
    last_run_at = serializers.DateTimeField(allow_null=True)
    overdue_since = serializers.DateTimeField(allow_null=True)

    def get_agency(self, state) -> str:
        """The agency's slug."""
        return self.context["slugs"].get(state.agency_id, "")


class ReviewWaitingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    agency = serializers.CharField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)

    def get_url(self, waiting) -> str:
        """The page where it is reviewed."""
        return self.context["request"].build_absolute_uri(waiting.url)


class FrequentlyRequestedSerializer(serializers.Serializer):
    dataset_title = serializers.CharField()
    url = serializers.CharField()
    requests = serializers.IntegerField(help_text="Requests received in the last year.")
    marked_frequently_requested = serializers.BooleanField()


class ScorecardSerializer(serializers.Serializer):
    """One agency's scorecard for a year: the dashboard's figures and the lists behind them."""

    agency = serializers.CharField()
    year = serializers.IntegerField()
    figures = DashboardRowSerializer()
    planned = ScorecardItemSerializer(many=True)
    retiring = QueueItemSerializer(many=True)
    stale = PublicationStateSerializer(many=True)
    failing = PublicationStateSerializer(many=True)
    median_response_days = serializers.FloatField(allow_null=True)
    open_requests = serializers.IntegerField()
    overdue_requests = DataRequestOutputSerializer(many=True)
    frequently_requested = FrequentlyRequestedSerializer(many=True)
    opm_agreement = serializers.ChoiceField(choices=OPM_CHOICES)


class ComplianceLineSerializer(serializers.Serializer):
    """One agency's line of the annual compliance report."""

    agency = serializers.CharField(source="row.agency.slug")
    agency_name = serializers.CharField(source="row.agency.name")
    ado_designated = serializers.SerializerMethodField()
    inventory_status = serializers.CharField(source="row.inventory_status")
    inventory_filed_on_time = serializers.BooleanField(source="filed_on_time")
    plan_status = serializers.CharField(source="row.plan_status")
    plan_approved = serializers.BooleanField()
    planned = serializers.IntegerField(source="row.figures.planned")
    published = serializers.IntegerField(source="row.figures.published")
    published_pct = serializers.IntegerField(source="row.figures.published_pct", allow_null=True)
    on_time_pct = serializers.IntegerField(source="row.figures.on_time_pct", allow_null=True)
    at_frequency_pct = serializers.IntegerField(
        source="row.figures.at_frequency_pct", allow_null=True
    )
    publications = serializers.IntegerField()
    stale = serializers.IntegerField(source="row.stale")
    failing = serializers.IntegerField(source="row.failing")
    opm_agreement = serializers.ChoiceField(
        choices=OPM_CHOICES, help_text="The agency's data sharing agreement with OPM."
    )

    def get_ado_designated(self, line) -> bool:
        return line.row.ado is not None


class ComplianceSummarySerializer(serializers.Serializer):
    agencies = serializers.IntegerField()
    with_ado = serializers.IntegerField()
    filed_on_time = serializers.IntegerField()
    plan_approved = serializers.IntegerField()
    planned = serializers.IntegerField()
    published = serializers.IntegerField()
    opm_in_force = serializers.IntegerField(help_text="Agencies with an OPM agreement in force.")


class ComplianceReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    summary = ComplianceSummarySerializer()
    lines = ComplianceLineSerializer(many=True)


class ReminderOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReminderSent
        fields = ["id", "kind", "subject", "body", "link", "sent_at"]


class DataRequestInputSerializer(serializers.Serializer):
    """The log form's fields (program/forms.py checks the dates and the status, as on the page)."""

    agency = serializers.SlugField(help_text="The agency that received it (slug); on create only.")
    received_on = serializers.DateField(required=False, help_text="Defaults to today.")
    requester_type = serializers.ChoiceField(choices=RequesterType.choices)
    summary = serializers.CharField(max_length=500, help_text="What was asked for.")
    dataset = serializers.IntegerField(
        required=False, allow_null=True, help_text="One of the agency's inventory datasets (id)."
    )
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=RequestStatus.choices, default=RequestStatus.OPEN)
    responded_on = serializers.DateField(
        required=False, allow_null=True, help_text="Required once the status is not open."
    )
    public_reply = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text="Shown to the requester."
    )
    internal_note = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text="For the agency only."
    )


class DataRequestUpdateSerializer(DataRequestInputSerializer):
    """PATCH sends only what changes (closing: `status` and `responded_on`)."""

    agency = None


class DataRequestDetailSerializer(DataRequestOutputSerializer):
    dataset = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta(DataRequestOutputSerializer.Meta):
        fields = [
            *DataRequestOutputSerializer.Meta.fields,
            "dataset",
            "channel",
            "topic",
            "public_reply",
            "internal_note",
        ]
