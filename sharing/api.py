"""/api/v1/agreements/ and /api/v1/core-datasets/ (ADR 0026), agency-scoped;
agreement writes in agreement_api.py."""

from __future__ import annotations

from rest_framework import generics

from agencies import permissions
from inventories.choices import InventoryStatus
from sharing import permissions as sharing_permissions
from sharing import selectors
from sharing.agreement_api import AgreementChange, AgreementCreate
from sharing.filters import AgreementFilter
from sharing.serializers import AgreementOutputSerializer, CoreDatasetSerializer


def _agreements(user):
    return sharing_permissions.visible_agreements(user).prefetch_related(
        "parties", "contributors", "datasets__agency", "datasets__inventory"
    )


class AgreementList(AgreementCreate, generics.ListAPIView):
    """Agreements the caller may see: all for program staff, their agencies' for members. POST
    records one."""

    serializer_class = AgreementOutputSerializer
    filterset_class = AgreementFilter

    def get_queryset(self):
        return _agreements(self.request.user).order_by("-starts_on", "title", "pk")


class AgreementDetail(AgreementChange, generics.RetrieveAPIView):
    serializer_class = AgreementOutputSerializer

    def get_queryset(self):
        return _agreements(self.request.user)


class CoreDatasetList(generics.ListAPIView):
    """Data assets used by several agencies besides their owner under agreements in force (core),
    newest inventory row each. Titles only: the catalog lists them already."""

    serializer_class = CoreDatasetSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        own = set(permissions.visible_datasets(self.request.user).values_list("pk", flat=True))
        return [
            {"dataset": dataset, "other_agencies": count, "core": True}
            for dataset, count in selectors.core_datasets()
            if dataset.inventory.status == InventoryStatus.ACCEPTED or dataset.pk in own
        ]
