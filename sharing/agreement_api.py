"""/api/v1/agreements/ writes (issue #19): create and change an agreement as its form does. The
form checks the dates and that the caller's agency is a party; the service writes all or nothing.
The signed document is uploaded on the agreement's page (multipart stays in the browser)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.models import Agency
from sharing import permissions as sharing_permissions
from sharing import services
from sharing.forms import AgreementForm
from sharing.models import Agreement
from sharing.serializers import AgreementInputSerializer, AgreementOutputSerializer

FIELDS = [name for name in AgreementForm.Meta.fields if name != "document"]
AGENCY_LISTS = ("parties", "contributors")


def _agency_ids(values: dict[str, Any]) -> dict[str, Any]:
    """Agency slugs to the form's ids; an unknown slug is a 400 naming the field."""
    for name in AGENCY_LISTS:
        if name not in values:
            continue
        slugs = values[name]
        ids = dict(Agency.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        unknown = [slug for slug in slugs if slug not in ids]
        if unknown:
            raise ValidationError({name: [f"No such agency: {', '.join(unknown)}."]})
        values[name] = [ids[slug] for slug in slugs]
    return values


def _form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, list):
        return [str(item.pk if isinstance(item, Model) else item) for item in value]
    return str(value)


def _clean(request: Request, values: dict[str, Any], agreement: Agreement | None) -> dict:
    if isinstance(values.get("outside_parties"), list):
        values["outside_parties"] = "\n".join(values["outside_parties"])
    data = {name: _form_value(values[name]) for name in FIELDS if name in values}
    form = AgreementForm(data, instance=agreement, user=request.user)
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise ValidationError(
            {name: [e["message"] for e in found] for name, found in errors.items()}
        )
    return {name: form.cleaned_data[name] for name in FIELDS}


def _output(request: Request, agreement: Agreement) -> dict:
    agreement = sharing_permissions.visible_agreements(request.user).get(pk=agreement.pk)
    return AgreementOutputSerializer(agreement, context={"request": request}).data


class AgreementCreate:
    """POST on /api/v1/agreements/: an ADO (their agency a party) or the CDO."""

    @extend_schema(request=AgreementInputSerializer, responses={201: AgreementOutputSerializer})
    def post(self, request: Request) -> Response:
        if not sharing_permissions.may_add_agreement(request.user):
            raise PermissionDenied("Only an ADO or the CDO records agreements.")
        data = AgreementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cleaned = _clean(request, _agency_ids(dict(data.validated_data)), None)
        saved = services.agreement_save(data=cleaned, acting_user=request.user)
        return Response(_output(request, saved), status=201)


class AgreementChange:
    """PATCH on /api/v1/agreements/ID/: a party's ADO or the CDO; only what is sent changes."""

    @extend_schema(
        request=AgreementInputSerializer(partial=True), responses={200: AgreementOutputSerializer}
    )
    def patch(self, request: Request, pk: int) -> Response:
        agreement = sharing_permissions.get_agreement_for_user(
            request.user, pk, perm="sharing.change_agreement"
        )
        data = AgreementInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        current = {
            **{name: getattr(agreement, name) for name in FIELDS if name not in AGENCY_LISTS},
            "parties": list(agreement.parties.all()),
            "contributors": list(agreement.contributors.all()),
            "datasets": list(agreement.datasets.all()),
        }
        values = {**current, **_agency_ids(dict(data.validated_data))}
        cleaned = _clean(request, values, agreement)
        saved = services.agreement_save(agreement=agreement, data=cleaned, acting_user=request.user)
        return Response(_output(request, saved))
