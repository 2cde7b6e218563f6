from django import forms

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
