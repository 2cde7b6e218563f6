"""Reads for the public CT Data Catalog and data.json.

Every queryset here has a fixed number of queries whatever the number of datasets: related rows
come through select_related / prefetch_related, never through per-row lookups.
"""

from __future__ import annotations

from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery

from agencies.models import Agency, Membership, Role
from inventories.models import Dataset, Inventory
from upkeep.models import Retirement

# What the public listing and data.json read: loading only these columns makes each of 10,000
# rows several times cheaper to build (dates, above all, are costly to convert).
PUBLIC_FIELDS = [
    "uid",
    "title",
    "description",
    "data_owner",
    "contact_email",
    "access_level",
    "access_reason",
    "category",
    "geographic_unit",
    "update_frequency",
    "temporal_coverage",
    "tags",
    "source_link",
    "availability",
    "portal_id",
    "geo_portal_url",
    "updated_at",
    "agency__name",
    "agency__slug",
    "agency__attribution",
    "agency__contact_email",
    "inventory__year",
]


def _with_agency_contact(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """The agency and its current ADO (the fallback contact), in two queries in all."""
    ados = Membership.objects.current().filter(role=Role.ADO).select_related("user")
    return datasets.select_related("agency", "inventory").prefetch_related(
        Prefetch("agency__memberships", queryset=ados, to_attr="current_ados")
    )


def with_retirement(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """`retired_on`: when the dataset's portal asset was made private by a retirement (ADR
    0010), else None; the catalog and data.json stop pointing at a private asset."""
    retired = Retirement.objects.retired().filter(publication__portal_id=OuterRef("portal_id"))
    return datasets.annotate(retired_on=Subquery(retired.values("made_private_at")[:1]))


def catalog_datasets() -> QuerySet[Dataset]:
    """Datasets of every accepted inventory, newest year first within each agency."""
    datasets = (
        Dataset.objects.in_catalog()
        .select_related("agency", "inventory")
        .only(*PUBLIC_FIELDS)
        .order_by("agency__name", "-inventory__year", "title", "pk")
    )
    return with_retirement(datasets)


def catalog_sections(datasets: QuerySet[Dataset]) -> list[dict]:
    """One entry per agency and year in `datasets`, with its count, for the section links."""
    return list(
        datasets.order_by()
        .values("agency__slug", "agency__name", "inventory__year")
        .annotate(count=Count("pk"))
        .order_by("agency__name", "-inventory__year")
    )


def catalog_agencies() -> QuerySet[Agency]:
    """Agencies with at least one accepted inventory: the catalog's agency filter."""
    accepted = Inventory.objects.accepted()
    return Agency.objects.filter(inventories__in=accepted).distinct().order_by("name")


def catalog_years() -> list[int]:
    years = Inventory.objects.accepted().order_by("-year").values_list("year", flat=True)
    return list(years.distinct())


def _latest_rows() -> QuerySet[Dataset]:
    """For each data asset (uid), its row in the newest accepted inventory: what its catalog
    page shows (a uid follows the asset across years)."""
    newest = (
        Dataset.objects.in_catalog()
        .filter(uid=OuterRef("uid"))
        .order_by("-inventory__year", "-pk")
        .values("pk")[:1]
    )
    return Dataset.objects.in_catalog().filter(pk=Subquery(newest))


def catalog_dataset(uid) -> Dataset | None:
    """The catalog page's row for a data asset, or None when no accepted inventory lists it."""
    rows = _latest_rows().filter(uid=uid).select_related("agency", "inventory")
    return with_retirement(rows).first()


def sitemap_datasets() -> QuerySet[Dataset]:
    """The dataset pages offered to search engines: public, and not retired from the portal."""
    rows = with_retirement(_latest_rows().public()).filter(retired_on__isnull=True)
    return rows.only("uid", "updated_at").order_by("uid")


def data_json_datasets() -> QuerySet[Dataset]:
    """Datasets of each agency's latest accepted inventory, with what data.json needs."""
    latest = Inventory.objects.latest_accepted()
    datasets = Dataset.objects.filter(inventory__in=latest).only(*PUBLIC_FIELDS)
    return with_retirement(_with_agency_contact(datasets)).order_by("agency__name", "title", "pk")


# --- Validators for conditional requests (ETag / Last-Modified) -----------------------------
# Each is one aggregate query that never builds the body: a count (a row deleted or moved out)
# and the newest change time of every table the body reads.


def _latest_change(model) -> Max:
    """The newest history row of `model` (django-simple-history), inside the same query."""
    latest = model.history.order_by("-history_date").values("history_date")[:1]
    return Max(Subquery(latest))


def _dataset_marks(datasets: QuerySet[Dataset], **more: Max) -> list:
    marks = datasets.order_by().aggregate(
        count=Count("pk"),
        dataset=Max("updated_at"),
        inventory=Max("inventory__updated_at"),
        agency=Max("agency__updated_at"),
        **more,
    )
    return list(marks.values())


def retirement_marks() -> list:
    """Every retirement, listed or not (a cancellation removes one from the list). Saves leave
    a history row; the worker's update() calls set one of the timestamps read here."""
    marks = Retirement.objects.order_by().aggregate(
        count=Count("pk"),
        edited=_latest_change(Retirement),
        started=Max("started_at"),
        originals=Max("original_saved_at"),
        notice=Max("notice_posted_at"),
        private=Max("made_private_at"),
        cancelled=Max("cancelled_at"),
        restored=Max("restored_at"),
        dataset=Max("publication__dataset__updated_at"),
        agency=Max("agency__updated_at"),
    )
    return list(marks.values())


def catalog_marks() -> list:
    return _dataset_marks(Dataset.objects.in_catalog()) + retirement_marks()


def data_json_marks() -> list:
    latest = Inventory.objects.latest_accepted()
    datasets = Dataset.objects.filter(inventory__in=latest)
    # The agency's current ADO is the fallback contact point: a new or ended designation counts.
    return _dataset_marks(datasets, contacts=_latest_change(Membership)) + retirement_marks()
