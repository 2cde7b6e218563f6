"""/api/v1/plans/ and /api/v1/plan-items/."""

from django.urls import path

from access_plans import api, review_api

one = "plans/<int:pk>/"

urlpatterns = [
    path("plans/", api.PlanList.as_view(), name="plan-list"),
    path(one, api.PlanDetail.as_view(), name="plan-detail"),
    path(one + "submit/", review_api.PlanSubmit.as_view(), name="plan-submit"),
    path(one + "amend/", review_api.PlanAmend.as_view(), name="plan-amend"),
    path(one + "start-review/", review_api.PlanStartReview.as_view(), name="plan-start-review"),
    path(one + "approve/", review_api.PlanApprove.as_view(), name="plan-approve"),
    path(
        one + "request-changes/",
        review_api.PlanRequestChanges.as_view(),
        name="plan-request-changes",
    ),
    path(
        one + "recommendations/",
        review_api.PlanRecommend.as_view(),
        name="plan-recommendations",
    ),
    path("plan-items/", api.PlanItemList.as_view(), name="plan-item-list"),
    path("plan-items/<int:pk>/", api.PlanItemDetail.as_view(), name="plan-item-detail"),
]
