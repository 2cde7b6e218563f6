"""/api/v1/data-requests/ (agency-scoped) and /api/v1/dashboard/ (program staff)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import permissions
from program import selectors, table
from program.filters import DataRequestFilter
from program.serializers import DashboardRowSerializer, DataRequestOutputSerializer
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
