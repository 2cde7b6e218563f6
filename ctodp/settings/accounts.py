"""Sign-in settings imported by base.py: single sign-on (OpenID Connect), the second factor,
login throttling. Each reads the environment, as everything in base.py does."""

import environ

env = environ.Env()

# Single sign-on with the state's identity provider (OpenID Connect; accounts/oidc.py, ADR 0014).
# mozilla-django-oidc reads the OIDC_* names; the environment uses CTODP_OIDC_*. Production
# refuses to start with the flag on and any of the endpoints or the client missing.
CTODP_OIDC_ENABLED = env.bool("CTODP_OIDC_ENABLED", default=False)
CTODP_OIDC_ISSUER = env("CTODP_OIDC_ISSUER", default="")
OIDC_RP_CLIENT_ID = env("CTODP_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("CTODP_OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("CTODP_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("CTODP_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("CTODP_OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("CTODP_OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("CTODP_OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.float("CTODP_OIDC_TIMEOUT", default=10.0)
OIDC_CREATE_USER = env.bool("CTODP_OIDC_CREATE_USERS", default=True)
# Provider groups → staff groups: "ctodp-cdo=Chief Data Officer,ctodp-dapa=DAPA analyst" (Entra
# sends group object ids unless told to send names). Applied on every sign-in: the provider
# decides the staff groups the map names; groups it never names stay managed in ctodp.
CTODP_OIDC_GROUPS_CLAIM = env("CTODP_OIDC_GROUPS_CLAIM", default="groups")
CTODP_OIDC_GROUP_MAP = env.dict("CTODP_OIDC_GROUP_MAP", default={})
# `amr` values of the signed ID token that prove the provider checked a second factor; empty:
# always ask for ctodp's own.
CTODP_OIDC_MFA_AMR = env.list("CTODP_OIDC_MFA_AMR", default=["mfa"])
CTODP_OIDC_BUTTON_LABEL = env(
    "CTODP_OIDC_BUTTON_LABEL", default="Sign in with your State of Connecticut account"
)

# Second factor (django-otp: TOTP authenticator apps, static backup codes) for the CDO, portal
# administrators and superusers. Always on in production.
CTODP_OTP_REQUIRED = env.bool("CTODP_OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = env("CTODP_OTP_ISSUER", default="CT Open Data Program")

# Login throttling (django-axes, accounts/throttling.py, ADR 0016): lock a username+address pair
# after repeated failures, and an address after more failures across accounts. The address is
# the client's, read from X-Forwarded-For behind CTODP_TRUSTED_PROXY_COUNT proxies.
AXES_ENABLED = env.bool("CTODP_AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("CTODP_LOGIN_FAILURE_LIMIT", default=5)
CTODP_LOGIN_ADDRESS_FAILURE_LIMIT = max(
    AXES_FAILURE_LIMIT, env.int("CTODP_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
)
AXES_COOLOFF_TIME = env.float("CTODP_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # this order: the handler
AXES_HANDLER = "accounts.throttling.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
CTODP_TRUSTED_PROXY_COUNT = env.int("CTODP_TRUSTED_PROXY_COUNT", default=0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
