"""Public pages (no sign-in): the CT Data Catalog and data.json."""

from django.urls import path

from inventories import catalog_views

app_name = "catalog"

urlpatterns = [
    path("catalog/", catalog_views.index, name="index"),
    path("catalog.csv", catalog_views.catalog_csv, name="csv"),
    path("data.json", catalog_views.data_json, name="data-json"),
]
