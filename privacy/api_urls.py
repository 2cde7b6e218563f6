"""privacy's endpoints under /api/v1/ (included by ctodp/api_urls.py, namespace "api")."""

from django.urls import path

from privacy import api

urlpatterns = [
    path(
        "publications/<int:pk>/aggregate/",
        api.PublicationAggregate.as_view(),
        name="publication-aggregate",
    ),
    path("aggregations/<int:pk>/", api.AggregationDetail.as_view(), name="aggregation-detail"),
    path(
        "publications/<int:pk>/privacy-screens/",
        api.PublicationScreens.as_view(),
        name="publication-privacy-screens",
    ),
    path("privacy-screens/<int:pk>/", api.ScreenDetail.as_view(), name="privacy-screen-detail"),
    path(
        "privacy-screens/<int:pk>/exception/",
        api.ScreenException.as_view(),
        name="privacy-screen-exception",
    ),
    path(
        "privacy-exceptions/<int:pk>/approve/",
        api.ExceptionApprove.as_view(),
        name="privacy-exception-approve",
    ),
]
