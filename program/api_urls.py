"""/api/v1/dashboard/ and /api/v1/data-requests/."""

from django.urls import path

from program import api

urlpatterns = [
    path("dashboard/", api.Dashboard.as_view(), name="dashboard"),
    path("data-requests/", api.DataRequestList.as_view(), name="data-request-list"),
]
