"""/api/v1/publications/ID/aggregate/ and /api/v1/aggregations/ID/: what the suppression page
does, for integrations (issue #14)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import permissions
from privacy import aggregation
from privacy.forms import grouping_choices
from privacy.models import SuppressionJob
from privacy.serializers import (
    AggregationInputSerializer,
    AggregationJobSerializer,
    AggregationOutputSerializer,
)
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
