"""/api/v1/plans/ and /api/v1/plan-items/: read-only, agency-scoped through permissions."""

from django.db.models import Count
from rest_framework import generics

from access_plans.filters import PlanFilter, PlanItemFilter
from access_plans.serializers import PlanItemOutputSerializer, PlanOutputSerializer
from agencies import permissions


class PlanList(generics.ListAPIView):
    """Access plans the caller may see: all for program staff, their agency's for agency users."""

    serializer_class = PlanOutputSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        return (
            permissions.visible_plans(self.request.user)
            .select_related("agency")
            .annotate(item_count=Count("items"))
            .order_by("-year", "agency__name")
        )


class PlanDetail(generics.RetrieveAPIView):
    serializer_class = PlanOutputSerializer

    def get_queryset(self):
        return (
            permissions.visible_plans(self.request.user)
            .select_related("agency")
            .annotate(item_count=Count("items"))
        )


class PlanItemList(generics.ListAPIView):
    """Plan items the caller may see, filterable by agency, year, status, intent, priority and
    method."""

    serializer_class = PlanItemOutputSerializer
    filterset_class = PlanItemFilter

    def get_queryset(self):
        return (
            permissions.visible_plan_items(self.request.user)
            .select_related("plan__agency", "dataset", "owner")
            .order_by("plan__agency__name", "-plan__year", "dataset__title")
        )
