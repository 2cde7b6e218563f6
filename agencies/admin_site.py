from django.contrib.admin import AdminSite
from django.http import HttpRequest

from agencies import permissions


class CtodpAdminSite(AdminSite):
    site_header = "ctodp administration"
    site_title = "ctodp admin"
    index_title = "Open data program administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.may_use_admin(request.user)
