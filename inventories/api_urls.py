"""/api/v1/datasets/ and /api/v1/inventories/."""

from django.urls import path

from inventories import api

urlpatterns = [
    path("datasets/", api.DatasetList.as_view(), name="dataset-list"),
    path("datasets/<int:pk>/", api.DatasetDetail.as_view(), name="dataset-detail"),
    path("inventories/", api.InventoryList.as_view(), name="inventory-list"),
    path("inventories/<int:pk>/", api.InventoryDetail.as_view(), name="inventory-detail"),
    path("inventories/<int:pk>/submit/", api.InventorySubmit.as_view(), name="inventory-submit"),
    path("inventories/<int:pk>/accept/", api.InventoryAccept.as_view(), name="inventory-accept"),
    path("inventories/<int:pk>/return/", api.InventoryReturn.as_view(), name="inventory-return"),
]
