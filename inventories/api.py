"""/api/v1/datasets/ and /api/v1/inventories/.

Reads go through agencies.permissions' visible_* querysets, so another agency's records answer
404. Writes are validated by the browser's forms and done by inventories.services, so the API
can do nothing the pages refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.forms import Form, model_to_dict
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agencies import permissions
from inventories import selectors, services
from inventories.filters import DatasetFilter, InventoryFilter
from inventories.forms import DatasetForm, StartInventoryForm
from inventories.models import Dataset, Inventory
from inventories.serializers import (
    DatasetInputSerializer,
    DatasetOutputSerializer,
    InventoryOutputSerializer,
    InventoryStartSerializer,
)


class Refused(APIException):
    """A service said no (e.g. the inventory is under review): 400 with its message."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"


def _call(service: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(error.message_dict) from error
        raise Refused(" ".join(error.messages)) from error


def _valid(form: Form) -> Form:
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise ValidationError(
            {
                "non_field_errors" if name == "__all__" else name: [e["message"] for e in problems]
                for name, problems in errors.items()
            }
        )
    return form


def _body(request: Request) -> Mapping[str, Any]:
    if not isinstance(request.data, Mapping):
        raise ValidationError({"non_field_errors": ["Send one JSON object."]})
    return request.data


def _dataset_form_data(dataset: Dataset | None, incoming: Mapping[str, Any]) -> dict[str, Any]:
    """The form's input: the dataset's current values (for PATCH), overlaid with the request's."""
    data: dict[str, Any] = {}
    if dataset is not None:
        data = model_to_dict(dataset, fields=DatasetForm._meta.fields)
        data["criteria"] = dataset.criteria
    data.update({name: value for name, value in incoming.items() if name != "inventory"})
    if hasattr(incoming, "getlist") and "criteria" in incoming:
        data["criteria"] = incoming.getlist("criteria")  # form-encoded bodies repeat the key
    return data


def _editable_inventory(request: Request) -> Inventory:
    pk = _body(request).get("inventory")
    visible = permissions.visible_inventories(request.user).select_related("agency")
    inventory = visible.filter(pk=pk).first() if str(pk).isdigit() else None
    if inventory is None:
        raise ValidationError({"inventory": ["Give the id of an inventory of your agency."]})
    if not request.user.has_perm("inventories.edit_inventory", inventory):
        raise PermissionDenied
    return inventory


class DatasetList(generics.ListAPIView):
    """Datasets the caller may see: every agency's for program staff, their own for agency users."""

    serializer_class = DatasetOutputSerializer
    filterset_class = DatasetFilter

    def get_queryset(self):
        return selectors.api_datasets(permissions.visible_datasets(self.request.user))

    @extend_schema(request=DatasetInputSerializer, responses={201: DatasetOutputSerializer})
    def post(self, request: Request) -> Response:
        inventory = _editable_inventory(request)
        form = _valid(DatasetForm(_dataset_form_data(None, _body(request)), inventory=inventory))
        dataset = _call(
            services.dataset_create,
            inventory=inventory,
            data=form.dataset_data(),
            acting_user=request.user,
        )
        return Response(self.get_serializer(dataset).data, status=status.HTTP_201_CREATED)


class DatasetDetail(generics.RetrieveAPIView):
    serializer_class = DatasetOutputSerializer

    def get_queryset(self):
        return selectors.api_datasets(permissions.visible_datasets(self.request.user))

    def _writable(self) -> Dataset:
        dataset = self.get_object()
        if not self.request.user.has_perm("inventories.edit_inventory", dataset):
            raise PermissionDenied
        return dataset

    def _update(self, request: Request, *, partial: bool) -> Response:
        dataset = self._writable()
        data = _dataset_form_data(dataset if partial else None, _body(request))
        form = _valid(DatasetForm(data, instance=dataset, inventory=dataset.inventory))
        dataset = _call(
            services.dataset_update,
            dataset=dataset,
            data=form.dataset_data(),
            acting_user=request.user,
        )
        return Response(self.get_serializer(dataset).data)

    @extend_schema(request=DatasetInputSerializer, responses={200: DatasetOutputSerializer})
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=DatasetInputSerializer, responses={200: DatasetOutputSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=True)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        _call(services.dataset_delete, dataset=self._writable(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InventoryList(generics.ListAPIView):
    """Inventories the caller may see, with their dataset counts."""

    serializer_class = InventoryOutputSerializer
    filterset_class = InventoryFilter

    def get_queryset(self):
        return selectors.api_inventories(permissions.visible_inventories(self.request.user))

    @extend_schema(request=InventoryStartSerializer, responses={201: InventoryOutputSerializer})
    def post(self, request: Request) -> Response:
        body = _body(request)
        year = _valid(StartInventoryForm({"year": body.get("year")})).cleaned_data["year"]
        slug = str(body.get("agency", ""))
        visible = permissions.visible_agencies(request.user)
        agency = visible.filter(slug=slug).first() if slug_re.fullmatch(slug) else None
        if agency is None:
            raise ValidationError({"agency": ["Give the slug of your agency."]})
        if not request.user.has_perm("inventories.start_inventory", agency):
            raise PermissionDenied
        inventory = _call(
            services.inventory_start, agency=agency, year=year, acting_user=request.user
        )
        created = self.get_queryset().get(pk=inventory.pk)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


class InventoryDetail(generics.RetrieveAPIView):
    serializer_class = InventoryOutputSerializer

    def get_queryset(self):
        return selectors.api_inventories(permissions.visible_inventories(self.request.user))
