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
]
