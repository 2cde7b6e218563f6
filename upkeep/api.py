"""/api/v1/: retiring a publication's portal asset (ADR 0010), as the publication page does it:
start, read, cancel. The portal steps run in workers; the answer is the recorded retirement."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import permissions
from publishing.api import call_service
from upkeep import retirement as retirement_services
from upkeep.models import Retirement
from upkeep.serializers import RetirementInputSerializer, RetirementOutputSerializer

PERM = retirement_services.PERM


def get_retirement_for_user(user, pk: int, *, perm: str = "publishing.view_publication"):
    """404 unless the user may see the retirement's publication, 403 unless `perm` is allowed."""
    retirement = Retirement.objects.select_related("agency", "started_by", "cancelled_by")
    retirement = retirement.filter(pk=pk).first()
    if retirement is None:
        raise Http404("No such retirement.")
    retirement.publication = permissions.get_publication_for_user(
        user, retirement.publication_id, perm=perm
    )
    return retirement


class PublicationRetirement(APIView):
    """Start retiring a public asset: the ARCHIVE notice goes to the portal now, the asset goes
    private 30 days later (at once if made public less than 7 days before)."""

    @extend_schema(request=RetirementInputSerializer, responses={201: RetirementOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        publication = permissions.get_publication_for_user(request.user, pk, perm=PERM)
        data = RetirementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        retirement = call_service(
            retirement_services.retirement_start,
            publication=publication,
            acting_user=request.user,
            **data.validated_data,
        )
        retirement = get_retirement_for_user(request.user, retirement.pk)  # as the steps left it
        output = RetirementOutputSerializer(retirement, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class RetirementDetail(generics.RetrieveAPIView):
    serializer_class = RetirementOutputSerializer

    def get_object(self):
        return get_retirement_for_user(self.request.user, self.kwargs["pk"])


class RetirementCancel(APIView):
    """Cancel a retirement whose asset is not yet private: the original title, tags and
    description go back to the portal."""

    @extend_schema(request=None, responses={200: RetirementOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        retirement = get_retirement_for_user(request.user, pk, perm=PERM)
        call_service(
            retirement_services.retirement_cancel, retirement=retirement, acting_user=request.user
        )
        retirement = get_retirement_for_user(request.user, pk)
        return Response(RetirementOutputSerializer(retirement, context={"request": request}).data)
