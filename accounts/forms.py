from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from agencies.forms import UswdsFormMixin

EXPIRY_CHOICES = [
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In one year"),
    ("", "Never (revoke it when the integration ends)"),
]


class TokenCreateForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="What will use the token, e.g. “Budget office nightly sync”.",
    )
    expires = forms.ChoiceField(
        label="Expires", choices=EXPIRY_CHOICES, initial="90", required=False
    )


class SecondFactorForm(UswdsFormMixin, forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Code",
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )


class EnrolForm(UswdsFormMixin, forms.Form):
    code = forms.CharField(
        max_length=6,
        label="6-digit code from the app",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class ResetRequestForm(UswdsFormMixin, PasswordResetForm):
    """Django's form (mails only active users with a usable password: none for SSO accounts)."""


class ResetPasswordForm(UswdsFormMixin, SetPasswordForm):
    pass
