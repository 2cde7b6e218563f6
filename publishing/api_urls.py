"""/api/v1/publications/ and /api/v1/runs/ (included by ctodp/api_urls.py, namespace "api")."""

from django.urls import path

from publishing import api
from publishing.schedules import services as schedule_services

one = "publications/<int:pk>/"

urlpatterns = [
    path("publications/", api.PublicationList.as_view(), name="publication-list"),
    path(one, api.PublicationDetail.as_view(), name="publication-detail"),
    path(one + "source/", api.PublicationSource.as_view(), name="publication-source"),
    path(
        one + "source-check/",
        api.PublicationSourceCheck.as_view(),
        name="publication-source-check",
    ),
    path(
        one + "columns/",
        api.PublicationColumns.as_view(),
        name="publication-columns",
    ),
    path(one + "runs/", api.PublicationRuns.as_view(), name="publication-runs"),
    path(
        one + "make-public/",
        api.PublicationMakePublic.as_view(),
        name="publication-make-public",
    ),
    path(
        one + "access-override/",
        api.PublicationAccessOverride.as_view(),
        name="publication-access-override",
    ),
    path(one + "schedule/", api.PublicationScheduleDetail.as_view(), name="publication-schedule"),
    path(
        one + "schedule/pause/",
        api.PublicationScheduleSwitch.as_view(service=schedule_services.schedule_pause),
        name="publication-schedule-pause",
    ),
    path(
        one + "schedule/resume/",
        api.PublicationScheduleSwitch.as_view(service=schedule_services.schedule_resume),
        name="publication-schedule-resume",
    ),
    path("runs/<int:pk>/", api.RunDetail.as_view(), name="run-detail"),
]
