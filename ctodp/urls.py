from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agencies import views as agency_views
from operations import health, metrics

urlpatterns = [
    path("", agency_views.home, name="home"),
    path("healthz", agency_views.healthz, name="healthz"),
    # Readiness and metrics for operators, with the operations token (ADR 0024).
    path("health/", health.ReadinessView.as_view(), name="health"),
    path("health/beat/", health.BeatView.as_view(), name="health-beat"),
    path("metrics", metrics.metrics, name="metrics"),
    path("accounts/", include("accounts.urls")),
    path("agencies/", include("agencies.urls")),
    path("inventories/", include("inventories.urls")),
    path("plans/", include("access_plans.urls")),
    path("sharing/", include("sharing.urls")),
    path("publishing/", include("publishing.urls")),
    path("publishing/", include("privacy.urls")),
    path("publishing/", include("upkeep.urls")),
    path("dashboard/", include("program.urls")),
    path("reminders/", include("program.reminder_urls")),
    path("", include("catalog.urls")),
    path("", include("program.public_urls")),
    path("api/v1/", include("ctodp.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file (?script=): no inline script for CSP.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]
