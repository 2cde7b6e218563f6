"""/api/v1/data-requests/ writes: the ADO's data requests log (ADO duty 4), as the log's form
does it. The form checks the dates and the status; the services write and feed the inventory."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agencies import permissions
from program import services
from program.api import DataRequestList
from program.forms import DataRequestForm
from program.models import DataRequest
from program.serializers import (
    DataRequestDetailSerializer,
    DataRequestInputSerializer,
    DataRequestUpdateSerializer,
)

LOG = "program.log_datarequest"
FIELDS = DataRequestForm.Meta.fields


def _form_data(values: dict[str, Any]) -> dict[str, str]:
    """The form's POST data from typed values: dates in ISO form, nothing as empty."""
    return {
        name: "" if values.get(name) is None else str(values[name])
        for name in FIELDS
        if name in values
    }


def _clean(values: dict[str, Any], *, agency, instance: DataRequest | None = None) -> dict:
    """The form's cleaned data, or a 400 naming each field the form refused."""
    form = DataRequestForm(_form_data(values), instance=instance, agency=agency)
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise ValidationError(
            {name: [e["message"] for e in found] for name, found in errors.items()}
        )
    return form.cleaned_data


def _agency(request: Request, slug: str):
    """The agency named in the body: 400 unless visible (so another agency's existence is not
    revealed), 403 unless the caller may log its requests."""
    try:
        return permissions.get_agency_for_user(request.user, slug, perm=LOG)
    except Http404:
        raise ValidationError({"agency": ["No such agency."]}) from None


class DataRequestLog(DataRequestList):
    """GET: the requests the caller may see. POST logs one for an agency whose ADO or publisher
    the caller is."""

    @extend_schema(request=DataRequestInputSerializer, responses={201: DataRequestDetailSerializer})
    def post(self, request: Request) -> Response:
        data = DataRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {"received_on": timezone.localdate(), **data.validated_data}
        agency = _agency(request, values.pop("agency"))
        entry = services.data_request_create(
            agency=agency, data=_clean(values, agency=agency), acting_user=request.user
        )
        output = DataRequestDetailSerializer(entry, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class DataRequestDetail(generics.GenericAPIView):
    """One logged request; PATCH changes it (answer, reply, close), as the log's edit form."""

    serializer_class = DataRequestDetailSerializer

    def get(self, request: Request, pk: int) -> Response:
        entry = permissions.get_data_request_for_user(request.user, pk)
        return Response(DataRequestDetailSerializer(entry).data)

    @extend_schema(
        request=DataRequestUpdateSerializer, responses={200: DataRequestDetailSerializer}
    )
    def patch(self, request: Request, pk: int) -> Response:
        entry = permissions.get_data_request_for_user(request.user, pk, perm=LOG)
        data = DataRequestUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {**model_to_dict(entry, fields=FIELDS), **data.validated_data}
        cleaned = _clean(values, agency=entry.agency, instance=entry)
        entry = services.data_request_update(request=entry, data=cleaned, acting_user=request.user)
        return Response(DataRequestDetailSerializer(entry).data)
