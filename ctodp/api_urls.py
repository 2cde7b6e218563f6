"""/api/v1/: each app contributes its endpoints here."""

from django.urls import include, path, re_path

from agencies import api as agencies_api

app_name = "api"

urlpatterns = [
    path("", agencies_api.ApiRoot.as_view(), name="root"),
    path("agencies/", agencies_api.AgencyList.as_view(), name="agency-list"),
    path("agencies/<slug:slug>/", agencies_api.AgencyDetail.as_view(), name="agency-detail"),
    path("agencies/<slug:slug>/ado/", agencies_api.AgencyAdo.as_view(), name="agency-ado"),
    path("", include("inventories.api_urls")),
    path("", include("access_plans.api_urls")),
    path("", include("sharing.api_urls")),
    path("", include("publishing.api_urls")),
    path("", include("privacy.api_urls")),
    path("", include("upkeep.api_urls")),
    path("", include("program.api_urls")),
    re_path(r"^[\s\S]*/$", agencies_api.Unknown.as_view(), name="unknown"),  # last: JSON 404
]
