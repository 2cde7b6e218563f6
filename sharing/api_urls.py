from django.urls import path

from sharing import api

urlpatterns = [
    path("agreements/", api.AgreementList.as_view(), name="agreement-list"),
    path("agreements/<int:pk>/", api.AgreementDetail.as_view(), name="agreement-detail"),
    path("core-datasets/", api.CoreDatasetList.as_view(), name="core-dataset-list"),
]
