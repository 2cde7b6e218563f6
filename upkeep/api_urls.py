"""upkeep's endpoints under /api/v1/ (included by ctodp/api_urls.py, namespace "api")."""

from django.urls import path

from upkeep import api

urlpatterns = [
    path(
        "publications/<int:pk>/retirement/",
        api.PublicationRetirement.as_view(),
        name="publication-retirement",
    ),
    path("retirements/<int:pk>/", api.RetirementDetail.as_view(), name="retirement-detail"),
    path("retirements/<int:pk>/cancel/", api.RetirementCancel.as_view(), name="retirement-cancel"),
]
