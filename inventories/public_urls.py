"""Public pages (no sign-in): the CT Data Catalog and data.json."""

from django.urls import path

from inventories import catalog_views
from publishing import retirement_views

app_name = "catalog"

urlpatterns = [
    path("catalog/", catalog_views.index, name="index"),
    path("catalog.csv", catalog_views.catalog_csv, name="csv"),
    # The public list of retired portal assets (Handbook "Data retirement", ADR 0010).
    path("catalog/retired/", retirement_views.retired_list, name="retired"),
    path("catalog/retired.csv", retirement_views.retired_csv, name="retired-csv"),
    path("data.json", catalog_views.data_json, name="data-json"),
]
