app_name = "inventories"

urlpatterns: list = []
