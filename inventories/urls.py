from django.urls import path

from inventories import transfer_views, views

app_name = "inventories"

year = "<slug:slug>/<int:year>/"

urlpatterns = [
    path("", views.inventory_list, name="list"),
    path("template.<str:fmt>", transfer_views.template, name="template"),
    path("<slug:slug>/start/", views.inventory_start, name="start"),
    path(year, views.inventory_detail, name="detail"),
    path(year + "changes/", views.inventory_changes, name="changes"),
    path(year + "submit/", views.inventory_submit, name="submit"),
    path(year + "review/", views.inventory_review, name="review"),
    path(year + "export.<str:fmt>", transfer_views.export, name="export"),
    path(year + "import/", transfer_views.import_upload, name="import"),
    path(year + "import/<int:pk>/", transfer_views.import_preview, name="import_preview"),
    path(year + "datasets/new/", views.dataset_create, name="dataset_create"),
    path(year + "datasets/validate/", views.dataset_validate, name="dataset_validate"),
    path(year + "datasets/<int:pk>/", views.dataset_detail, name="dataset"),
    path(year + "datasets/<int:pk>/edit/", views.dataset_edit, name="dataset_edit"),
    path(year + "datasets/<int:pk>/delete/", views.dataset_delete, name="dataset_delete"),
]
