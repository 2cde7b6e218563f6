"""/api/v1/: the dashboard, work queues, scorecards, compliance, data requests, my reminders."""

from django.urls import path

from program import api, request_api

urlpatterns = [
    path("dashboard/", api.Dashboard.as_view(), name="dashboard"),
    path("agencies/<slug:slug>/scorecard/", api.Scorecard.as_view(), name="scorecard"),
    path("queues/review/", api.ReviewQueue.as_view(), name="queue-review"),
    path("queues/failing/", api.FailingQueue.as_view(), name="queue-failing"),
    path("queues/stale/", api.StaleQueue.as_view(), name="queue-stale"),
    path("queues/overdue-items/", api.OverdueItemQueue.as_view(), name="queue-overdue-items"),
    path("queues/retirements/", api.RetirementQueue.as_view(), name="queue-retirements"),
    path("compliance/", api.ComplianceReport.as_view(), name="compliance"),
    path("data-requests/", request_api.DataRequestLog.as_view(), name="data-request-list"),
    path(
        "data-requests/<int:pk>/",
        request_api.DataRequestDetail.as_view(),
        name="data-request-detail",
    ),
    path("reminders/", api.ReminderList.as_view(), name="reminder-list"),
]
