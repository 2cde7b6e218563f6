"""/api/v1/plans/ and /api/v1/plan-items/: agency-scoped through permissions. Writes are
validated by the browser's forms and done by access_plans.services (review steps: review_api)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import slug_re
from django.db import transaction
from django.db.models import Count
from django.forms import model_to_dict
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from access_plans import services
from access_plans.filters import PlanFilter, PlanItemFilter
from access_plans.forms import ITEM_FIELDS, PlanItemForm, StartPlanForm
from access_plans.models import AccessPlan, PlanItem
from access_plans.serializers import (
    PlanItemInputSerializer,
    PlanItemOutputSerializer,
    PlanOutputSerializer,
    PlanStartSerializer,
)
from agencies import permissions
from agencies.api_support import body, call, user_pk, valid

EDIT = "access_plans.edit_plan"


def plans_for(user) -> Any:
    return (
        permissions.visible_plans(user).select_related("agency").annotate(item_count=Count("items"))
    )


def items_for(user) -> Any:
    return permissions.visible_plan_items(user).select_related("plan__agency", "dataset", "owner")


class PlanList(generics.ListAPIView):
    """Access plans the caller may see: all for program staff, their agency's for agency users."""

    serializer_class = PlanOutputSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        return plans_for(self.request.user).order_by("-year", "agency__name")

    @extend_schema(request=PlanStartSerializer, responses={201: PlanOutputSerializer})
    def post(self, request: Request) -> Response:
        data = body(request)
        year = valid(StartPlanForm({"year": data.get("year")})).cleaned_data["year"]
        slug = str(data.get("agency", ""))
        visible = permissions.visible_agencies(request.user)
        agency = visible.filter(slug=slug).first() if slug_re.fullmatch(slug) else None
        if agency is None:
            raise ValidationError({"agency": ["Give the slug of your agency."]})
        if not request.user.has_perm("access_plans.start_plan", agency):
            raise PermissionDenied
        plan = call(services.plan_start, agency=agency, year=year, acting_user=request.user)
        created = self.get_serializer(self.get_queryset().get(pk=plan.pk))
        return Response(created.data, status=status.HTTP_201_CREATED)


class PlanDetail(generics.RetrieveAPIView):
    serializer_class = PlanOutputSerializer

    def get_queryset(self):
        return plans_for(self.request.user)


def _item_form_data(item: PlanItem | None, incoming: Mapping[str, Any]) -> dict[str, Any]:
    """The form's input: the item's current values (for PATCH), overlaid with the request's;
    the owner given by username, as the API shows it."""
    data: dict[str, Any] = model_to_dict(item, fields=ITEM_FIELDS) if item is not None else {}
    data.update({name: value for name, value in incoming.items() if name != "plan"})
    if "owner" in incoming:
        data["owner"] = user_pk(incoming["owner"], field="owner")
    return data


def _require_editable(plan: AccessPlan) -> None:
    """A plan that is not editable is refused with the service's words, before its form is
    checked (as the item pages do), whose errors would not say why."""
    if not plan.is_editable:
        call(transaction.atomic(services.require_editable), plan=plan)


def _editable_plan(request: Request) -> AccessPlan:
    pk = body(request).get("plan")
    visible = permissions.visible_plans(request.user).select_related("agency", "inventory")
    plan = visible.filter(pk=pk).first() if str(pk).isdigit() else None
    if plan is None:
        raise ValidationError({"plan": ["Give the id of an access plan of your agency."]})
    if not request.user.has_perm(EDIT, plan):
        raise PermissionDenied
    _require_editable(plan)
    return plan


class PlanItemList(generics.ListAPIView):
    """Plan items the caller may see, filterable by agency, year, status, intent, priority and
    method. POST adds an item to a plan the caller may edit."""

    serializer_class = PlanItemOutputSerializer
    filterset_class = PlanItemFilter

    def get_queryset(self):
        return items_for(self.request.user).order_by(
            "plan__agency__name", "-plan__year", "dataset__title"
        )

    @extend_schema(request=PlanItemInputSerializer, responses={201: PlanItemOutputSerializer})
    def post(self, request: Request) -> Response:
        plan = _editable_plan(request)
        form = valid(PlanItemForm(_item_form_data(None, body(request)), plan=plan))
        item = call(
            services.item_create,
            plan=plan,
            dataset=form.cleaned_data["dataset"],
            data=form.item_data(),
            acting_user=request.user,
        )
        created = self.get_serializer(items_for(request.user).get(pk=item.pk))
        return Response(created.data, status=status.HTTP_201_CREATED)


class PlanItemDetail(generics.RetrieveAPIView):
    """One plan item; PUT/PATCH change it and DELETE removes it while the plan is editable."""

    serializer_class = PlanItemOutputSerializer

    def get_queryset(self):
        return items_for(self.request.user)

    def _writable(self) -> PlanItem:
        item = self.get_object()
        if not self.request.user.has_perm(EDIT, item.plan):
            raise PermissionDenied
        _require_editable(item.plan)
        return item

    def _update(self, request: Request, *, partial: bool) -> Response:
        item = self._writable()
        data = _item_form_data(item if partial else None, body(request))
        form = valid(PlanItemForm(data, instance=item, plan=item.plan))
        call(services.item_update, item=item, data=form.item_data(), acting_user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request=PlanItemInputSerializer, responses={200: PlanItemOutputSerializer})
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=PlanItemInputSerializer, responses={200: PlanItemOutputSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, partial=True)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        call(services.item_delete, item=self._writable(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
