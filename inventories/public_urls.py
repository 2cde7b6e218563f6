"""Public pages (no sign-in): the CT Data Catalog and data.json."""

app_name = "catalog"

urlpatterns: list = []
