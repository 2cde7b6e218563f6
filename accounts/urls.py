"""Sign-in, password reset, second factor and API tokens, under /accounts/.

Django's auth views reverse their names without a namespace (``password_change_done``,
``password_reset_done``, …), and mozilla-django-oidc reverses ``oidc_authentication_callback``,
so the sign-in URLs keep global names; the account pages live in the ``accounts`` namespace."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import oidc, views

account_patterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", views.backup_codes_renew, name="backup_codes"),
]

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views.local_only(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.ResetRequestView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", views.reset_complete, name="password_reset_complete"),
    # Single sign-on (404 while CTODP_OIDC_ENABLED is off).
    path("sso/start/", oidc.SignInStart.as_view(), name="oidc_authentication_init"),
    path("sso/callback/", oidc.SignInCallback.as_view(), name="oidc_authentication_callback"),
    path("", include((account_patterns, "accounts"))),
]
