from django.urls import path

from access_plans import export_views, review_views, views

app_name = "access_plans"

year = "<slug:slug>/<int:year>/"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("metrics/", review_views.plan_metrics, name="metrics"),
    path("<slug:slug>/start/", views.plan_start, name="start"),
    path(year, views.plan_detail, name="detail"),
    path(year + "submit/", views.plan_submit, name="submit"),
    path(year + "amend/", views.plan_amend, name="amend"),
    path(year + "review/", review_views.plan_review, name="review"),
    path(year + "review/start/", review_views.plan_start_review, name="start_review"),
    path(year + "review/recommend/", review_views.plan_recommend, name="recommend"),
    path(year + "versions/<int:number>/", views.version_detail, name="version"),
    path(year + "export.xlsx", export_views.plan_xlsx, name="export_xlsx"),
    path(year + "print/", export_views.plan_print, name="print"),
    path(year + "items/new/", views.item_create, name="item_create"),
    path(year + "items/<int:pk>/", views.item_detail, name="item"),
    path(year + "items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path(year + "items/<int:pk>/delete/", views.item_delete, name="item_delete"),
]
