"""The public data request form and status pages, beside the catalog (ADR 0027)."""

from django.urls import path

from program import public_views

app_name = "public-requests"

urlpatterns = [
    path("catalog/request/", public_views.request_general, name="general"),
    path(
        "catalog/datasets/<uuid:uid>/request/",
        public_views.request_about_dataset,
        name="dataset",
    ),
    path("catalog/requests/<str:token>/", public_views.request_status, name="status"),
]
