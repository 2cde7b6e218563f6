"""/api/v1/publications/ and /api/v1/runs/: writes go input serializer → service → output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import permissions
from inventories import uploads
from publishing import services
from publishing.filters import PublicationFilter
from publishing.models import PublicationRun, PublicationSchedule, RunTrigger
from publishing.schedules import services as schedule_services
from publishing.serializers import (
    AccessOverrideInputSerializer,
    ColumnsInputSerializer,
    PublicationInputSerializer,
    PublicationOutputSerializer,
    RunDetailOutputSerializer,
    RunOutputSerializer,
    ScheduleInputSerializer,
    ScheduleOutputSerializer,
    SourceCheckOutputSerializer,
    SourceInputSerializer,
)

MANAGE = "publishing.manage_publication"


def call_service(service: Callable[..., Any], **kwargs: Any) -> Any:
    """Run a service; its validation errors become 400 answers with the same messages."""
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(error.message_dict) from None
        raise ValidationError({"non_field_errors": error.messages}) from None


class PublicationList(generics.ListCreateAPIView):
    """Publications the caller may see; POST creates one (private until a reviewer says so)."""

    serializer_class = PublicationOutputSerializer
    filterset_class = PublicationFilter

    def get_queryset(self):
        return permissions.visible_publications(self.request.user).for_list().order_by("pk")

    @extend_schema(request=PublicationInputSerializer, responses={201: PublicationOutputSerializer})
    def post(self, request: Request) -> Response:
        datasets = permissions.visible_datasets(request.user).select_related("agency")
        data = PublicationInputSerializer(data=request.data, datasets=datasets)
        data.is_valid(raise_exception=True)
        dataset = data.validated_data["dataset"]
        if not request.user.has_perm(MANAGE, dataset):
            self.permission_denied(request, "Only the agency's publishers publish its datasets.")
        publication = call_service(
            services.publication_create, acting_user=request.user, **data.validated_data
        )
        output = PublicationOutputSerializer(publication, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class PublicationDetail(generics.RetrieveAPIView):
    serializer_class = PublicationOutputSerializer

    def get_object(self):
        return permissions.get_publication_for_user(self.request.user, self.kwargs["pk"])


class PublicationSource(APIView):
    """Attach a source: multipart `file` (CSV or XLSX), or `url`, or `database` and `query`.

    A file is read at once (200, the publication): the first file's columns are confirmed with
    the publication's row identifier; a later source whose columns differ is attached but not
    pushed until they are confirmed again. A URL or SQL source is read by a worker (202, the
    source check): follow it at `source-check/`, then confirm its columns at `columns/`.
    """

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request=SourceInputSerializer,
        responses={200: PublicationOutputSerializer, 202: SourceCheckOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
        data = SourceInputSerializer(data=request.data)
        if uploads.refusal(request._request):  # stopped while it streamed in (ADR 0017)
            raise ValidationError({"file": uploads.refusal(request._request)})
        data.is_valid(raise_exception=True)
        upload = data.validated_data.get("file")
        if upload is not None and upload.size > settings.CTODP_MAX_UPLOAD_BYTES:
            raise ValidationError({"file": "The file is larger than the upload limit."})
        first = not publication.columns_confirmed
        attached = call_service(
            services.publication_attach_source,
            publication=publication,
            acting_user=request.user,
            **data.validated_data,
        )
        if attached.check is not None:
            output = SourceCheckOutputSerializer(attached.check).data
            return Response(output, status=status.HTTP_202_ACCEPTED)
        changes = attached.changes
        if first:
            changes = []
            call_service(
                services.publication_confirm_columns,
                publication=publication,
                acting_user=request.user,
                row_identifier=publication.row_identifier,
            )
        output = PublicationOutputSerializer(publication, context={"request": request}).data
        return Response({**output, "column_changes": changes})


class PublicationSourceCheck(APIView):
    """The check of the publication's current URL or SQL source (404 for a file, or none)."""

    @extend_schema(responses={200: SourceCheckOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk)
        check = publication.source_check
        if check is None:
            raise NotFound("The current source is not read by a worker (or there is none).")
        return Response(SourceCheckOutputSerializer(check).data)


class PublicationColumns(APIView):
    """Confirm the detected columns (after a schema change), with the row identifier."""

    @extend_schema(request=ColumnsInputSerializer, responses={200: PublicationOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
        data = ColumnsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row_identifier = data.validated_data["row_identifier"] or publication.row_identifier
        call_service(
            services.publication_confirm_columns,
            publication=publication,
            acting_user=request.user,
            row_identifier=row_identifier,
            descriptions=data.validated_data.get("descriptions"),
        )
        return Response(PublicationOutputSerializer(publication, context={"request": request}).data)


class PublicationRuns(generics.ListCreateAPIView):
    """The publication's runs, newest first; POST starts one and answers with its id."""

    serializer_class = RunOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no pk
            return PublicationRun.objects.none()
        publication = permissions.get_publication_for_user(self.request.user, self.kwargs["pk"])
        return publication.runs.select_related("publication")

    @extend_schema(request=None, responses={201: RunOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
        run = call_service(
            services.run_start,
            publication=publication,
            acting_user=request.user,
            trigger=RunTrigger.API,
        )
        run.refresh_from_db()  # with eager tasks it has already ended
        output = RunOutputSerializer(run, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class PublicationMakePublic(APIView):
    @extend_schema(request=None, responses={200: PublicationOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(
            request.user, pk, perm="publishing.make_public"
        )
        call_service(
            services.publication_make_public, publication=publication, acting_user=request.user
        )
        return Response(PublicationOutputSerializer(publication, context={"request": request}).data)


class PublicationAccessOverride(APIView):
    """The CDO lets a publication reach the portal although its inventory entry is not public or
    the approved access plan lacks it, with a reason (ADR 0016). A push refused for that reason
    answers 400 with the same words."""

    @extend_schema(
        request=AccessOverrideInputSerializer, responses={200: PublicationOutputSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(
            request.user, pk, perm="publishing.override_access"
        )
        data = AccessOverrideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            services.publication_override_access,
            publication=publication,
            acting_user=request.user,
            **data.validated_data,
        )
        return Response(PublicationOutputSerializer(publication, context={"request": request}).data)


class PublicationScheduleDetail(APIView):
    """The publication's schedule (404 if it has none); PUT sets or changes it (ADR 0008)."""

    @extend_schema(responses={200: ScheduleOutputSerializer})
    def get(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk)
        schedule = get_object_or_404(PublicationSchedule, publication=publication)
        return Response(ScheduleOutputSerializer(schedule).data)

    @extend_schema(request=ScheduleInputSerializer, responses={200: ScheduleOutputSerializer})
    def put(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
        data = ScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = call_service(
            schedule_services.schedule_set,
            publication=publication,
            acting_user=request.user,
            **data.validated_data,
        )
        return Response(ScheduleOutputSerializer(schedule).data)


class PublicationScheduleSwitch(APIView):
    """POST …/schedule/pause/ or …/schedule/resume/ (resuming does not make up missed runs)."""

    service: Callable[..., Any] = staticmethod(schedule_services.schedule_pause)

    @extend_schema(request=None, responses={200: ScheduleOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
        schedule = get_object_or_404(PublicationSchedule, publication=publication)
        call_service(self.service, schedule=schedule, acting_user=request.user)
        return Response(ScheduleOutputSerializer(schedule).data)


class RunDetail(generics.RetrieveAPIView):
    serializer_class = RunDetailOutputSerializer

    def get_object(self):
        return permissions.get_run_for_user(self.request.user, self.kwargs["pk"])
