"""Public pages (no sign-in): the CT Data Catalog, data.json and the retired assets."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from catalog import retired, views
from catalog.sitemaps import SITEMAPS

app_name = "catalog"

urlpatterns = [
    path("catalog/", views.index, name="index"),
    path("catalog.csv", views.catalog_csv, name="csv"),
    # The public list of retired portal assets (Handbook "Data retirement", ADR 0010).
    path("catalog/retired/", retired.retired_list, name="retired"),
    path("catalog/retired.csv", retired.retired_csv, name="retired-csv"),
    path("data.json", views.data_json, name="data-json"),
    # Discoverability (ADR 0028): a page per data asset, the sitemap and robots.txt.
    path("catalog/datasets/<uuid:uid>/", views.dataset_page, name="dataset"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
