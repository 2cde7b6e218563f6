"""Sign-in and API tokens, under /accounts/.

Django's auth views reverse their names without a namespace (``password_change_done``, …), so
the sign-in URLs keep global names; the token pages live in the ``accounts`` namespace."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views

token_patterns = [
    path("", views.token_list, name="tokens"),
    path("new/", views.token_create, name="token_create"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("tokens/", include((token_patterns, "accounts"))),
]
