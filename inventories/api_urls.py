"""/api/v1/datasets/ and /api/v1/inventories/."""

urlpatterns: list = []
