"""Reads over sharing agreements: each agency's OPM agreement, and the datasets that several
agencies use (core) or contribute to (ADR 0026). A data asset is its uid: an agreement names one
year's row, and the asset keeps its standing in the years after."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from agencies.models import Agency
from inventories.models import Dataset
from sharing.models import Agreement

CORE_MIN_AGENCIES = 2  # agencies besides the owner that use an asset under agreements in force


class OpmStatus:
    IN_FORCE = "in force"
    EXPIRED = "expired"
    NONE = "none"


def opm_statuses(agencies: Iterable[Agency], today: datetime.date | None = None) -> dict[int, str]:
    """{agency id: OpmStatus} for each agency: in force, else expired (one lapsed), else none.
    Drafts and terminated agreements count as none. Two queries whatever the number."""
    today = today or timezone.localdate()
    opm = Agreement.objects.filter(with_opm=True)
    live = set(opm.in_force(today).values_list("parties", flat=True))
    lapsed = set(opm.lapsed(today).values_list("parties", flat=True))
    return {
        agency.pk: OpmStatus.IN_FORCE
        if agency.pk in live
        else OpmStatus.EXPIRED
        if agency.pk in lapsed
        else OpmStatus.NONE
        for agency in agencies
    }


def _asset_agencies(relation: str, today: datetime.date | None) -> dict:
    """{dataset uid: agency ids linked through `relation` by agreements in force on it}."""
    rows = Agreement.objects.in_force(today).values_list("datasets__uid", relation)
    found: dict = defaultdict(set)
    for uid, agency_id in rows:
        if uid is not None and agency_id is not None:
            found[uid].add(agency_id)
    return found


def dataset_standing(dataset: Dataset, today: datetime.date | None = None) -> dict:
    """How the asset is shared: the other agencies using it, the agencies contributing to it
    (the owner included), and the flags core / multi-agency."""
    users = _asset_agencies("parties", today).get(dataset.uid, set()) - {dataset.agency_id}
    contributors = _asset_agencies("contributors", today).get(dataset.uid, set())
    contributors |= {dataset.agency_id}
    return {
        "users": list(Agency.objects.filter(pk__in=users).order_by("name")),
        "contributors": list(Agency.objects.filter(pk__in=contributors).order_by("name")),
        "core": len(users) >= CORE_MIN_AGENCIES,
        "multi_agency": len(contributors) >= 2,
    }


def core_datasets(today: datetime.date | None = None) -> list[tuple[Dataset, int]]:
    """Each core asset's newest inventory row, with the number of other agencies using it."""
    users = _asset_agencies("parties", today)
    owners = dict(Dataset.objects.filter(uid__in=list(users)).values_list("uid", "agency_id"))
    counts = {uid: len(ids - {owners[uid]}) for uid, ids in users.items() if uid in owners}
    core = [uid for uid, n in counts.items() if n >= CORE_MIN_AGENCIES]
    rows = Dataset.objects.filter(uid__in=core).select_related("agency", "inventory")
    newest: dict = {}
    for row in rows.order_by("inventory__year"):
        newest[row.uid] = row
    return sorted(((row, counts[uid]) for uid, row in newest.items()), key=lambda e: e[0].title)
