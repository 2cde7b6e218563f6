from django.urls import path

from program import report_views, request_views, views

app_name = "program"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.dashboard_export, {"fmt": "csv"}, name="export-csv"),
    path("export.xlsx", views.dashboard_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("charts/<slug:slug>.csv", views.chart_export, {"fmt": "csv"}, name="chart-csv"),
    path("charts/<slug:slug>.xlsx", views.chart_export, {"fmt": "xlsx"}, name="chart-xlsx"),
    path("queues/", views.work_queues, name="queues"),
    path("requests/", request_views.statewide_log, name="requests-all"),
    path("compliance/", report_views.statewide_report, name="compliance"),
    path("compliance.xlsx", report_views.statewide_xlsx, name="compliance-xlsx"),
    path("agencies/<slug:slug>/", views.agency_scorecard, name="scorecard"),
    path("agencies/<slug:slug>/requests/", request_views.agency_log, name="requests"),
    path("agencies/<slug:slug>/requests/new/", request_views.request_create, name="request-create"),
    path(
        "agencies/<slug:slug>/requests/<int:pk>/edit/",
        request_views.request_edit,
        name="request-edit",
    ),
    path(
        "agencies/<slug:slug>/requests/apply/<int:year>/",
        request_views.apply_to_inventory,
        name="requests-apply",
    ),
    path("agencies/<slug:slug>/compliance/", report_views.agency_report, name="compliance-agency"),
    path(
        "agencies/<slug:slug>/compliance.xlsx",
        report_views.agency_xlsx,
        name="compliance-agency-xlsx",
    ),
]
