import json

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from agencies.models import Role, StaffGroup


class UswdsFormMixin:
    """Give every widget its U.S. Web Design System class, and mark invalid fields for screen
    readers. Templates render fields through includes/field.html."""

    widget_classes = {
        forms.Select: "usa-select",
        forms.SelectMultiple: "usa-select",
        forms.Textarea: "usa-textarea",
        forms.CheckboxInput: "usa-checkbox__input",
        forms.CheckboxSelectMultiple: "usa-checkbox__input",
        forms.RadioSelect: "usa-radio__input",
        forms.ClearableFileInput: "usa-file-input",
        forms.FileInput: "usa-file-input",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = next(
                (c for w, c in self.widget_classes.items() if isinstance(field.widget, w)),
                "usa-input",
            )
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_hint"

    def enable_inline_validation(self, url: str, **extra: str) -> None:
        """Ask the server (htmx) to re-check a field when it changes; see includes/field.html."""
        for name, field in self.fields.items():
            field.widget.attrs.update(
                {
                    "hx-post": url,
                    "hx-trigger": "change",
                    "hx-target": f"#group-{name}",
                    "hx-swap": "outerHTML",
                    "hx-include": "closest form",
                    "hx-vals": json.dumps({"_field": name, **extra}),
                }
            )

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields and "aria-invalid" not in self.fields[name].widget.attrs:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["class"] += " usa-input--error"
                described = f"{attrs.get('aria-describedby', '')} id_{name}_error".strip()
                attrs["aria-describedby"] = described


def _people_choices():
    """Active accounts that are not program staff: the people who can act for an agency."""
    return (
        User.objects.filter(is_active=True)
        .exclude(groups__name__in=StaffGroup.values)
        .order_by("last_name", "first_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username}, {obj.email})" if name else f"{obj.username} ({obj.email})"


class DesignateAdoForm(UswdsFormMixin, forms.Form):
    user = PersonChoiceField(
        queryset=User.objects.none(),
        label="New Agency Data Officer",
        help_text="The account must exist; portal administrators create accounts in the admin.",
    )
    title = forms.CharField(max_length=200, required=False, label="Job title")
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for the designation",
        help_text="Recorded in the designation history, e.g. 'Previous ADO retired'.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people_choices()


class AddMemberForm(UswdsFormMixin, forms.Form):
    user = PersonChoiceField(queryset=User.objects.none(), label="Person")
    role = forms.ChoiceField(
        choices=[
            (Role.PUBLISHER.value, Role.PUBLISHER.label),
            (Role.VIEWER.value, Role.VIEWER.label),
        ]
    )
    title = forms.CharField(max_length=200, required=False, label="Job title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people_choices()


class EndMembershipForm(UswdsFormMixin, forms.Form):
    reason = forms.CharField(max_length=500, label="Reason")


class UswdsFilterForm(UswdsFormMixin, forms.Form):
    """The form class of every django-filter FilterSet, so filters look like the other forms."""


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one, else at
    the top. Views call services and hand their refusals back to the person here."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)
