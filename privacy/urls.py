"""The privacy pages, under /publishing/ beside the publication they belong to."""

from django.urls import path

from privacy.views import aggregation, exceptions, screens

app_name = "privacy"

urlpatterns = [
    path("<int:pk>/privacy/screen/", screens.screen_start, name="screen_start"),
    path("privacy/<int:pk>/", screens.screen_detail, name="screen"),
    path("privacy/<int:pk>/report.json", screens.screen_json, name="screen_json"),
    path("privacy/<int:pk>/progress/", screens.screen_progress, name="screen_progress"),
    path("privacy/<int:pk>/exception/", screens.exception_request, name="exception_request"),
    path("privacy/exceptions/", exceptions.pending_exceptions, name="exceptions_pending"),
    path(
        "privacy/exceptions/<int:pk>/approve/",
        screens.exception_approve,
        name="exception_approve",
    ),
    path("<int:pk>/suppress/", aggregation.suppression_preview, name="suppress"),
    path("<int:pk>/suppress/save/", aggregation.suppression_save, name="suppress_save"),
    path("<int:pk>/suppress/start/", aggregation.suppression_start, name="suppress_start"),
    path("suppress/jobs/<int:pk>/", aggregation.suppression_job, name="suppress_job"),
    path(
        "suppress/jobs/<int:pk>/progress/",
        aggregation.suppression_job_progress,
        name="suppress_job_progress",
    ),
]
