"""Navigation by role, computed once per request from agencies.permissions."""

from django.http import HttpRequest
from django.urls import reverse

from accounts import second_factor
from agencies import permissions


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not second_factor.satisfied(request):
        return {"nav_items": []}  # pages are closed until the second factor is proved
    items = [("Home", reverse("home"))]
    if permissions.agency_roles(user):
        items.append(("My agency", reverse("agencies:mine")))
    if permissions.agency_roles(user) or permissions.is_program_staff(user):
        items.append(("Inventories", reverse("inventories:list")))
        items.append(("Access plans", reverse("access_plans:list")))
        items.append(("Publishing", reverse("publishing:list")))
    if user.has_perm("program.view_dashboard"):
        items.append(("Dashboard", reverse("program:dashboard")))
    if user.has_perm("agencies.view_directory"):
        items.append(("Agencies", reverse("agencies:directory")))
    if permissions.may_use_admin(user):
        items.append(("Administration", reverse("admin:index")))
    current = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "current": url == current or (url != "/" and current.startswith(url)),
            }
            for label, url in items
        ],
        "user_staff_roles": permissions.staff_roles(user),
    }
