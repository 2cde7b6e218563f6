"""upkeep's pages, under /publishing/ beside the publications they keep alive."""

from django.urls import path

from upkeep import views

app_name = "upkeep"

urlpatterns = [
    path("<int:pk>/retire/", views.retirement_start, name="retire"),
    path("retirements/<int:pk>/cancel/", views.retirement_cancel, name="retirement_cancel"),
    path("portal/unclaimed/", views.unclaimed_assets, name="unclaimed"),
    path("portal/assets/<int:pk>/assign/", views.asset_assign, name="asset_assign"),
    path("stale/<slug:slug>/", views.stale_datasets, name="stale"),
]
