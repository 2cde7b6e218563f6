"""/api/v1/: what the privacy pages do, for integrations: aggregation and suppression (issue #14),
privacy screens and exceptions (issue #19)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import permissions
from privacy import aggregation
from privacy import services as privacy_services
from privacy.forms import grouping_choices
from privacy.models import PrivacyException, SuppressionJob
from privacy.serializers import (
    AggregationInputSerializer,
    AggregationJobSerializer,
    AggregationOutputSerializer,
    ExceptionInputSerializer,
    ExceptionOutputSerializer,
    ScreenInputSerializer,
    ScreenOutputSerializer,
)
from privacy.views.screens import get_screen_for_user
from publishing.api import call_service

MANAGE = "publishing.manage_publication"


class PublicationAggregate(APIView):
    """Aggregate the publication's source and suppress its small cells. A small upload answers
    at once (200, the preview); a large, URL or SQL source goes to a worker (202, the job)."""

    @extend_schema(
        request=AggregationInputSerializer,
        responses={200: AggregationOutputSerializer, 202: AggregationJobSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
        choices = [value for value, _ in grouping_choices(publication.columns)]
        data = AggregationInputSerializer(data=request.data, choices=choices)
        data.is_valid(raise_exception=True)
        if aggregation.runs_in_worker(publication):
            job = call_service(
                aggregation.suppression_start,
                publication=publication,
                acting_user=request.user,
                **data.validated_data,
            )
            output = AggregationJobSerializer(job, context={"request": request})
            return Response(output.data, status=status.HTTP_202_ACCEPTED)
        table = call_service(
            aggregation.suppressed_table, publication=publication, **data.validated_data
        )
        return Response(AggregationOutputSerializer(aggregation.preview(table)).data)


class AggregationDetail(generics.RetrieveAPIView):
    """An aggregation run by a worker: its status and, once done, its preview. Whoever may see
    the publication may read it (program staff too); starting one takes a publisher."""

    serializer_class = AggregationJobSerializer

    def get_object(self):
        job = SuppressionJob.objects.filter(pk=self.kwargs["pk"]).first()
        if job is None:
            raise Http404("No such aggregation.")
        job.publication = permissions.get_publication_for_user(
            self.request.user, job.publication_id
        )
        return job


class PublicationScreens(APIView):
    """Screen the publication's source for re-identification risk (ADR 0007), as the
    publication page does: a worker reads it (202, the screen; poll its `url`)."""

    @extend_schema(request=ScreenInputSerializer, responses={202: ScreenOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
        data = ScreenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        screen = call_service(
            privacy_services.screen_start,
            publication=publication,
            acting_user=request.user,
            threshold=data.validated_data["threshold"],
            quasi=data.validated_data["quasi"],
        )
        screen.refresh_from_db()  # with eager tasks it has already ended
        output = ScreenOutputSerializer(screen, context={"request": request})
        return Response(output.data, status=status.HTTP_202_ACCEPTED)


class ScreenDetail(generics.RetrieveAPIView):
    """A privacy screen: its status while a worker reads, then its verdict and report."""

    serializer_class = ScreenOutputSerializer

    def get_object(self):
        return get_screen_for_user(self.request.user, self.kwargs["pk"])


class ScreenException(APIView):
    """Ask the CDO for an exception to a high-risk screen, with a justification; the CDO is
    told by e-mail, as from the screen's page."""

    @extend_schema(request=ExceptionInputSerializer, responses={201: ExceptionOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        screen = get_screen_for_user(request.user, pk)
        if not request.user.has_perm(MANAGE, screen.publication):
            raise PermissionDenied
        data = ExceptionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exception = call_service(
            privacy_services.exception_request,
            screen=screen,
            acting_user=request.user,
            **data.validated_data,
        )
        return Response(ExceptionOutputSerializer(exception).data, status=status.HTTP_201_CREATED)


class ExceptionApprove(APIView):
    """The CDO approves an exception; the person who asked is told by e-mail."""

    @extend_schema(request=None, responses={200: ExceptionOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        exception = PrivacyException.objects.filter(pk=pk).first()
        if exception is None:
            raise Http404("No such exception.")
        exception.publication = get_screen_for_user(request.user, exception.screen_id).publication
        call_service(
            privacy_services.exception_approve, exception=exception, acting_user=request.user
        )
        return Response(ExceptionOutputSerializer(exception).data)
