"""/api/v1/plans/{id}/…: submission and review, by the same services as the browser's pages.

The ADO submits (and amends an approved plan); the CDO takes a submitted plan into review and
approves it or requests changes; a DAPA analyst records a recommendation the CDO reads.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from access_plans import services
from access_plans.api import plans_for
from access_plans.models import AccessPlan
from access_plans.serializers import (
    PlanOutputSerializer,
    RecommendationInputSerializer,
    RecommendationOutputSerializer,
    RequestChangesSerializer,
)
from agencies.api_support import CommentInputSerializer, body, call


class PlanAction(generics.GenericAPIView):
    """A step of the plan's workflow: 404 unless the caller sees the plan, 403 unless they may
    take the step, 400 with `detail` when the plan is not in a state that allows it."""

    serializer_class = PlanOutputSerializer
    perm = "access_plans.view_plan"
    input_serializer: Any = None

    def get_queryset(self):
        return plans_for(self.request.user)

    def plan(self) -> AccessPlan:
        plan = self.get_object()
        if not self.request.user.has_perm(self.perm, plan):
            raise PermissionDenied
        return plan

    def input(self, request: Request) -> dict[str, Any]:
        data = self.input_serializer(data=body(request))
        data.is_valid(raise_exception=True)
        return data.validated_data

    def done(self, plan: AccessPlan) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)


class PlanSubmit(PlanAction):
    """The ADO submits the plan: a new numbered version, sent to the CDO (e-mail)."""

    perm = "access_plans.submit_plan"

    @extend_schema(request=None, responses={200: PlanOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        plan = self.plan()
        call(services.plan_submit, plan=plan, acting_user=request.user)
        return self.done(plan)


class PlanAmend(PlanAction):
    """The ADO reopens an approved plan as a draft; its next submission is a new version."""

    perm = "access_plans.submit_plan"

    @extend_schema(request=None, responses={200: PlanOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        plan = self.plan()
        call(services.plan_amend, plan=plan, acting_user=request.user)
        return self.done(plan)


class PlanStartReview(PlanAction):
    """The CDO takes a submitted plan into review."""

    perm = "access_plans.review_plan"

    @extend_schema(request=None, responses={200: PlanOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        plan = self.plan()
        call(services.plan_start_review, plan=plan, acting_user=request.user)
        return self.done(plan)


class PlanApprove(PlanAction):
    """The CDO approves a submitted plan, or one in review, with an optional comment (the ADO
    is told by e-mail)."""

    perm = "access_plans.review_plan"
    input_serializer = CommentInputSerializer

    @extend_schema(request=CommentInputSerializer, responses={200: PlanOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        plan = self.plan()
        comment = self.input(request)["comment"]
        call(services.plan_approve, plan=plan, comment=comment, acting_user=request.user)
        return self.done(plan)


class PlanRequestChanges(PlanAction):
    """The CDO sends the plan back with a comment, and comments on single items (the ADO is
    told by e-mail)."""

    perm = "access_plans.review_plan"
    input_serializer = RequestChangesSerializer

    @extend_schema(request=RequestChangesSerializer, responses={200: PlanOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        plan = self.plan()
        data = self.input(request)
        call(
            services.plan_request_changes,
            plan=plan,
            comment=data["comment"],
            item_comments={note["item"]: note["text"] for note in data["item_comments"]},
            acting_user=request.user,
        )
        return self.done(plan)


class PlanRecommend(PlanAction):
    """A DAPA analyst's comment on the version under review, with an optional recommendation
    (approve or request changes) that the CDO reads; only the CDO decides."""

    perm = "access_plans.recommend_plan"
    input_serializer = RecommendationInputSerializer

    @extend_schema(
        request=RecommendationInputSerializer, responses={201: RecommendationOutputSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = self.plan()
        recommended = call(
            services.plan_recommend, plan=plan, acting_user=request.user, **self.input(request)
        )
        output = RecommendationOutputSerializer(recommended)
        return Response(output.data, status=status.HTTP_201_CREATED)
