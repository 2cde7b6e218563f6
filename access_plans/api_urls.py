"""/api/v1/plans/ and /api/v1/plan-items/."""

from django.urls import path

from access_plans import api

urlpatterns = [
    path("plans/", api.PlanList.as_view(), name="plan-list"),
    path("plans/<int:pk>/", api.PlanDetail.as_view(), name="plan-detail"),
    path("plan-items/", api.PlanItemList.as_view(), name="plan-item-list"),
]
