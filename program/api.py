"""The program's lists under /api/v1/: the dashboard, work queues (program staff), scorecards,
the compliance report, data requests (agency-scoped) and the caller's own reminders."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import permissions
from agencies.models import Agency
from program import compliance, queues, scorecard, selectors, table
from program.filters import DataRequestFilter, ReminderFilter
from program.models import ReminderSent
from program.serializers import (
    ComplianceReportSerializer,
    DashboardRowSerializer,
    DataRequestOutputSerializer,
    PublicationStateSerializer,
    QueueItemSerializer,
    ReminderOutputSerializer,
    RetirementQueueSerializer,
    ReviewWaitingSerializer,
    ScorecardSerializer,
)
from program.views import year_param


class DataRequestList(generics.ListAPIView):
    """Data requests the caller may see: all for program staff, their agency's for its members."""

    serializer_class = DataRequestOutputSerializer
    filterset_class = DataRequestFilter

    def get_queryset(self):
        return (
            permissions.visible_data_requests(self.request.user)
            .select_related("agency", "dataset")
            .order_by("-received_on", "-pk")
        )


def _choices(options: list[tuple[str, str]]) -> list[str]:
    return [value for value, _ in options]


DASHBOARD_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Defaults to the latest year."),
    OpenApiParameter("inventory", OpenApiTypes.STR, enum=_choices(table.INVENTORY_FILTERS)),
    OpenApiParameter("plan", OpenApiTypes.STR, enum=_choices(table.PLAN_FILTERS)),
    OpenApiParameter("ado", OpenApiTypes.STR, enum=_choices(table.ADO_FILTERS)),
    OpenApiParameter("q", OpenApiTypes.STR, description="Part of the agency's name or acronym."),
    OpenApiParameter(
        "sort", OpenApiTypes.STR, description="A column key, prefixed with - for descending."
    ),
]


class Dashboard(APIView):
    """One row per active agency for a year: the figures of the program dashboard."""

    @extend_schema(parameters=DASHBOARD_PARAMETERS, responses=DashboardRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("program.view_dashboard"):
            raise PermissionDenied
        params: QueryDict = request.query_params
        rows, _ = table.apply(selectors.dashboard_rows(year_param(request)), params)
        return Response(DashboardRowSerializer(rows, many=True).data)


def _require_staff(request: Request) -> None:
    if not request.user.has_perm("program.view_dashboard"):
        raise PermissionDenied


YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Defaults to the latest year.")
FREQUENT_KEYS = ("dataset_title", "url", "requests", "marked_frequently_requested")


class Scorecard(APIView):
    """One agency's scorecard: for program staff and the agency's own members."""

    @extend_schema(parameters=[YEAR], responses=ScorecardSerializer)
    def get(self, request: Request, slug: str) -> Response:
        agency = permissions.get_agency_for_user(request.user, slug, perm="program.view_scorecard")
        year = year_param(request)
        card = scorecard.scorecard(agency, year)
        data = {
            **vars(card),
            "agency": agency.slug,
            "year": year,
            "figures": card.row,
            "planned": [{"item": item, "actual": actual} for item, actual in card.planned],
            "frequently_requested": [
                dict(zip(FREQUENT_KEYS, entry, strict=True)) for entry in card.frequently_requested
            ],
        }
        context = {"request": request, "slugs": {agency.pk: agency.slug}}
        return Response(ScorecardSerializer(data, context=context).data)


class QueueParams(serializers.Serializer):
    agency = serializers.SlugField(required=False, help_text="Only this agency's (slug).")


class ReviewQueueParams(QueueParams):
    kind = serializers.ChoiceField(choices=["inventory", "plan"], required=False)


REVIEW_KINDS = {"inventory": "Inventory", "plan": "Access plan"}


class QueueView(APIView):
    """A work queue of program staff, built on program.queues (the page shows the same)."""

    queue = ""
    params_class: type[QueueParams] = QueueParams

    def entries(self, request: Request) -> list:
        """The queue's entries, filtered by the query's parameters (400 when they are invalid)."""
        params = self.params_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        self.params = params.validated_data
        entries = getattr(queues.all_queues(), self.queue)
        agency = self.params.get("agency")
        return [entry for entry in entries if not agency or self.agency_of(entry) == agency]

    def agency_of(self, entry) -> str:
        return entry.plan.agency.slug


class ReviewQueue(QueueView):
    """Inventories and access plans waiting for review, oldest submission first."""

    queue = "review"
    params_class = ReviewQueueParams

    @extend_schema(parameters=[ReviewQueueParams], responses=ReviewWaitingSerializer(many=True))
    def get(self, request: Request) -> Response:
        _require_staff(request)
        rows = self.entries(request)
        kind = REVIEW_KINDS.get(self.params.get("kind", ""))
        rows = [entry for entry in rows if not kind or entry.kind == kind]
        context = {"request": request}
        return Response(ReviewWaitingSerializer(rows, many=True, context=context).data)

    def agency_of(self, entry) -> str:
        return entry.agency


class PublicationQueue(QueueView):
    @extend_schema(parameters=[QueueParams], responses=PublicationStateSerializer(many=True))
    def get(self, request: Request) -> Response:
        _require_staff(request)
        self.slugs = dict(Agency.objects.values_list("pk", "slug"))
        rows = self.entries(request)
        context = {"slugs": self.slugs}
        return Response(PublicationStateSerializer(rows, many=True, context=context).data)

    def agency_of(self, entry) -> str:
        return self.slugs.get(entry.agency_id, "")


class FailingQueue(PublicationQueue):
    """Publications whose last run failed, oldest failure first."""

    queue = "failing"


class StaleQueue(PublicationQueue):
    """Publications not refreshed within their dataset's declared frequency, longest overdue
    first."""

    queue = "stale"


class ItemQueue(QueueView):
    @extend_schema(parameters=[QueueParams], responses=QueueItemSerializer(many=True))
    def get(self, request: Request) -> Response:
        _require_staff(request)
        return Response(QueueItemSerializer(self.entries(request), many=True).data)


class OverdueItemQueue(ItemQueue):
    """Approved plan items to publish whose target date passed without publication."""

    queue = "overdue_items"


class RetirementQueue(QueueView):
    """Retirements in progress (ARCHIVE notice posted or on its way), the soonest to go private
    first."""

    queue = "retiring"

    @extend_schema(parameters=[QueueParams], responses=RetirementQueueSerializer(many=True))
    def get(self, request: Request) -> Response:
        _require_staff(request)
        return Response(RetirementQueueSerializer(self.entries(request), many=True).data)

    def agency_of(self, entry) -> str:
        return entry.agency.slug


class ComplianceParams(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    agency = serializers.SlugField(required=False, help_text="Only this agency's line (slug).")


class ComplianceReport(APIView):
    """The annual compliance report: every active agency for program staff, their own agency
    for its members."""

    @extend_schema(parameters=[ComplianceParams], responses=ComplianceReportSerializer)
    def get(self, request: Request) -> Response:
        params = ComplianceParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data.get("year") or selectors.default_year()
        agencies = permissions.visible_agencies(request.user).filter(is_active=True)
        if "agency" in params.validated_data:
            agencies = agencies.filter(slug=params.validated_data["agency"])
        lines = compliance.report(year, agencies)
        data = {"year": year, "summary": compliance.summary(lines), "lines": lines}
        return Response(ComplianceReportSerializer(data).data)


class ReminderList(generics.ListAPIView):
    """The reminders sent to the caller, newest first."""

    serializer_class = ReminderOutputSerializer
    filterset_class = ReminderFilter

    def get_queryset(self):
        mine = ReminderSent.objects.filter(user_id=self.request.user.pk)  # none for the schema
        return mine.order_by("-sent_at", "-pk")
