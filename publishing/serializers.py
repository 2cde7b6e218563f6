import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inventories.models import Dataset
from publishing.models import (
    DEFAULT_TIME_ZONE,
    Kind,
    License,
    Mode,
    Publication,
    PublicationRun,
    PublicationSchedule,
    RunAttempt,
    ScheduleKind,
    SourceCheck,
    Visibility,
    Weekday,
)


@extend_schema_field(OpenApiTypes.INT)
class DatasetField(serializers.PrimaryKeyRelatedField):
    """A dataset id, among the datasets the caller may see (set per request)."""


class PublicationInputSerializer(serializers.Serializer):
    dataset = DatasetField(queryset=Dataset.objects.none())
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.ROWS)
    mode = serializers.ChoiceField(choices=Mode.choices, default=Mode.UPSERT)
    row_identifier = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PRIVATE)
    portal_id = serializers.CharField(max_length=9, required=False, allow_blank=True, default="")
    external_url = serializers.URLField(max_length=500, required=False, default="")
    license = serializers.ChoiceField(choices=License.choices, required=False, default="")
    delete_missing = serializers.BooleanField(
        required=False, default=False, help_text="Upsert only: delete rows missing from the source."
    )

    def __init__(self, *args, datasets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets  # only datasets the caller may see

    def validate(self, attrs: dict) -> dict:
        upsert = attrs["kind"] == Kind.ROWS and attrs["mode"] == Mode.UPSERT
        if upsert and not attrs["row_identifier"]:
            raise serializers.ValidationError(
                {"row_identifier": "An upsert needs a row identifier (a column field name)."}
            )
        return attrs


class SourceInputSerializer(serializers.Serializer):
    file = serializers.FileField(required=False)
    url = serializers.URLField(required=False, default="")
    database = serializers.CharField(required=False, default="")
    query = serializers.CharField(required=False, default="")


class AccessOverrideInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the CDO lets it be published.")


class ColumnsInputSerializer(serializers.Serializer):
    row_identifier = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    descriptions = serializers.DictField(
        child=serializers.CharField(max_length=1000, allow_blank=True),
        required=False,
        help_text="Column descriptions by field name; left out: the current ones are kept.",
    )


class RunAttemptOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RunAttempt
        fields = [
            "number", "outcome", "error", "started_at", "finished_at", "rows_created",
            "rows_updated", "rows_deleted", "rows_unknown", "chunks_done", "bytes_sent",
        ]  # fmt: skip


class RunOutputSerializer(serializers.ModelSerializer):
    """A run; its row counts add up over its attempts (`attempt_log`, oldest first) and are what
    the portal acknowledged; `rows_unknown` were sent without an answer (ADR 0023)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:run-detail")
    publication = serializers.PrimaryKeyRelatedField(read_only=True)
    percent = serializers.IntegerField(read_only=True)
    duration = serializers.FloatField(read_only=True, allow_null=True)
    worker_lost = serializers.BooleanField(
        read_only=True, help_text="Running, but its heartbeat is two beats late."
    )
    retry_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When a lost run is queued again, at the latest."
    )

    class Meta:
        model = PublicationRun
        fields = [
            "id", "url", "publication", "status", "trigger", "unchanged", "percent",
            "rows_read", "rows_created", "rows_updated", "rows_deleted", "rows_unknown",
            "chunks_done", "chunks_total", "bytes_sent", "attempts", "duration", "error",
            "warning", "heartbeat_at", "worker_lost", "retry_at",
            "created_at", "enqueued_at", "started_at", "finished_at",
        ]  # fmt: skip


class RunDetailOutputSerializer(RunOutputSerializer):
    """A run with the history of its attempts, oldest first."""

    attempt_log = RunAttemptOutputSerializer(many=True, read_only=True)

    class Meta(RunOutputSerializer.Meta):
        fields = [*RunOutputSerializer.Meta.fields, "attempt_log"]


class SourceCheckOutputSerializer(serializers.ModelSerializer):
    """A worker's reading of a URL or SQL source (ADR 0017): queued, running, succeeded (the
    publication's detected columns are then the source's) or failed (`error` says why)."""

    publication = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = SourceCheck
        fields = [
            "id", "publication", "status", "error", "columns_found",
            "created_at", "started_at", "finished_at",
        ]  # fmt: skip


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "06:00"}
)
class WallClockTimeField(serializers.TimeField):
    """A time of day on the wall clock of the schedule's time zone: no UTC offset (the zone is a
    field of its own), so not OpenAPI's `time` format, which requires one."""


class ScheduleInputSerializer(serializers.Serializer):
    """The service checks the cron expression and the time zone (ADR 0008)."""

    kind = serializers.ChoiceField(choices=ScheduleKind.choices)
    time_of_day = WallClockTimeField(required=False, default=datetime.time(6, 0))
    weekday = serializers.ChoiceField(choices=Weekday.choices, required=False, allow_null=True)
    day_of_month = serializers.IntegerField(
        min_value=1, max_value=31, required=False, allow_null=True
    )
    cron = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    time_zone = serializers.CharField(max_length=64, required=False, default=DEFAULT_TIME_ZONE)


class ScheduleOutputSerializer(serializers.ModelSerializer):
    time_of_day = WallClockTimeField(format="%H:%M")
    description = serializers.CharField(source="describe", read_only=True)
    paused = serializers.BooleanField(source="is_paused", read_only=True)
    last_run = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = PublicationSchedule
        fields = [
            "kind", "time_of_day", "weekday", "day_of_month", "cron", "time_zone", "description",
            "next_run_at", "paused", "paused_at", "last_run", "last_skipped_at",
            "last_skip_reason", "updated_at",
        ]  # fmt: skip


class PublicationOutputSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:publication-detail")
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    dataset_title = serializers.CharField(source="dataset.title", read_only=True)
    columns_confirmed = serializers.BooleanField(read_only=True)
    last_run = RunOutputSerializer(read_only=True)
    schedule = ScheduleOutputSerializer(read_only=True, allow_null=True)
    source_check = SourceCheckOutputSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Publication
        fields = [
            "id", "url", "dataset", "dataset_title", "agency", "kind", "portal_id", "adopted",
            "mode", "row_identifier", "delete_missing", "visibility", "license", "external_url",
            "source_kind", "source_name", "source_url", "source_database",
            "source_check", "columns", "detected_columns", "columns_confirmed", "last_run",
            "schedule",
            "made_public_at", "access_override_reason", "access_override_at", "created_at",
        ]  # fmt: skip
