"""publishing's models: publications and their runs, and their schedules (ADR 0013)."""

from publishing.models.publications import (
    ACTIVE_STATUSES,
    LOST_AFTER_BEATS,
    AttemptOutcome,
    Kind,
    License,
    Mode,
    Publication,
    PublicationQuerySet,
    PublicationRun,
    PublicationRunQuerySet,
    RunAttempt,
    RunStatus,
    RunTrigger,
    SourceKind,
    Visibility,
    column_shapes,
)
from publishing.models.schedules import (
    DEFAULT_TIME_ZONE,
    PublicationSchedule,
    PublicationScheduleQuerySet,
    ScheduleKind,
    Weekday,
)
from publishing.models.source_checks import SourceCheck

__all__ = [
    "ACTIVE_STATUSES",
    "DEFAULT_TIME_ZONE",
    "LOST_AFTER_BEATS",
    "AttemptOutcome",
    "Kind",
    "License",
    "Mode",
    "Publication",
    "PublicationQuerySet",
    "PublicationRun",
    "PublicationRunQuerySet",
    "PublicationSchedule",
    "PublicationScheduleQuerySet",
    "RunAttempt",
    "RunStatus",
    "RunTrigger",
    "ScheduleKind",
    "SourceCheck",
    "SourceKind",
    "Visibility",
    "Weekday",
    "column_shapes",
]
