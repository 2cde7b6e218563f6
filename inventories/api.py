"""/api/v1/datasets/ and /api/v1/inventories/.

Reads go through agencies.permissions' visible_* querysets, so another agency's records answer
404. Writes are validated by the browser's forms and done by inventories.services, so the API
can do nothing the pages refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import slug_re
from django.forms import model_to_dict
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agencies import permissions
from agencies.api_support import CommentInputSerializer
from agencies.api_support import body as _body
from agencies.api_support import call as _call
from agencies.api_support import valid as _valid
from inventories import selectors, services
from inventories.filters import DatasetFilter, InventoryFilter
from inventories.forms import DatasetForm, StartInventoryForm, SubmitForm
from inventories.models import Dataset, Inventory
from inventories.serializers import (
    DatasetInputSerializer,
    DatasetOutputSerializer,
    InventoryOutputSerializer,
    InventoryReturnSerializer,
    InventoryStartSerializer,
    InventorySubmitSerializer,
)
from inventories.views import ATTESTATION


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


class InventoryAction(generics.GenericAPIView):
    """A step of the inventory's workflow, by the same service as the browser's page."""

    serializer_class = InventoryOutputSerializer
    perm = "inventories.view_inventory"

    def get_queryset(self):
        return selectors.api_inventories(permissions.visible_inventories(self.request.user))

    def inventory(self) -> Inventory:
        """The inventory: 404 unless visible, 403 unless the caller may take this step."""
        inventory = self.get_object()
        if not self.request.user.has_perm(self.perm, inventory):
            raise PermissionDenied
        return inventory

    def done(self, inventory: Inventory) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=inventory.pk)).data)


class InventorySubmit(InventoryAction):
    """The ADO submits the inventory for review (the CDO and DAPA are told by e-mail), with
    `confirm` true and their name in `attested_name`, attesting to the statement below."""

    perm = "inventories.submit_inventory"

    @extend_schema(request=InventorySubmitSerializer, responses={200: InventoryOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        inventory = self.inventory()
        form = _valid(SubmitForm(_body(request)))
        _call(
            services.inventory_submit,
            inventory=inventory,
            attested_name=form.cleaned_data["attested_name"],
            attestation=ATTESTATION,
            acting_user=request.user,
        )
        return self.done(inventory)


InventorySubmit.__doc__ += f"\n\nThe statement: “{ATTESTATION}”"


class InventoryAccept(InventoryAction):
    """The CDO or a DAPA analyst accepts a submitted inventory (the ADO is told by e-mail)."""

    perm = "inventories.review_inventory"

    @extend_schema(request=CommentInputSerializer, responses={200: InventoryOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        inventory = self.inventory()
        data = CommentInputSerializer(data=_body(request))
        data.is_valid(raise_exception=True)
        _call(
            services.inventory_accept,
            inventory=inventory,
            comment=data.validated_data["comment"],
            acting_user=request.user,
        )
        return self.done(inventory)


class InventoryReturn(InventoryAction):
    """The CDO or a DAPA analyst returns a submitted inventory to the agency with a comment,
    comments on single datasets, or both (the ADO is told by e-mail)."""

    perm = "inventories.review_inventory"

    @extend_schema(request=InventoryReturnSerializer, responses={200: InventoryOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        inventory = self.inventory()
        data = InventoryReturnSerializer(data=_body(request))
        data.is_valid(raise_exception=True)
        notes = {note["dataset"]: note["text"] for note in data.validated_data["dataset_comments"]}
        _call(
            services.inventory_return,
            inventory=inventory,
            comment=data.validated_data["comment"],
            dataset_comments=notes,
            acting_user=request.user,
        )
        return self.done(inventory)
