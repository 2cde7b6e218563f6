"""What every API write does the same way: read one JSON object, validate it with the browser's
form, call the service and turn its refusals into 400 answers (docs/adr/0031-workflow-api.md).

Here, at the bottom of the layout, so every app's api.py uses the same helpers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms import Form
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request

USERNAME = re.compile(r"[\w.@+-]{1,150}")


class Refused(APIException):
    """A service said no (e.g. the inventory is under review): 400 with its message."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"


def call(service: Callable[..., Any], **kwargs: Any) -> Any:
    """Run a service: its errors on fields answer 400 by field, its other refusals 400 with
    `detail` (the record is not in a state that allows the action)."""
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(error.message_dict) from error
        raise Refused(" ".join(error.messages)) from error


def valid(form: Form) -> Form:
    """The bound form, validated: its errors answer 400 by field."""
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise ValidationError(
            {
                "non_field_errors" if name == "__all__" else name: [e["message"] for e in problems]
                for name, problems in errors.items()
            }
        )
    return form


def body(request: Request) -> Mapping[str, Any]:
    """The request's body, which must be one object (not a list or a string)."""
    if not isinstance(request.data, Mapping):
        raise ValidationError({"non_field_errors": ["Send one JSON object."]})
    return request.data


class CommentInputSerializer(serializers.Serializer):
    """A reviewer's comment (for the schema; the service checks whether it is required)."""

    comment = serializers.CharField(required=False, allow_blank=True, default="")


def user_pk(value: Any, *, field: str) -> Any:
    """The id of the account named `value`, for a form's person field, which then decides whether
    that person may be chosen: an unknown name is refused with the same words as one that may
    not, so the answer does not reveal which accounts exist."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not USERNAME.fullmatch(value):
        raise ValidationError({field: ["Give a username."]})
    return User.objects.filter(username=value).values_list("pk", flat=True).first() or 0
