"""Writes on inventories and datasets. Forms, the spreadsheet import and the API all call these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies import notices
from agencies.models import Agency
from inventories import extensions
from inventories.choices import InventoryStatus
from inventories.models import Dataset, Inventory, ReviewComment, default_due_date

# Fields copied when a year is carried forward, and compared year over year.
COPIED_FIELDS = [
    f.name
    for f in Dataset._meta.concrete_fields
    if f.name not in {"id", "inventory", "agency", "metadata_score", "created_at", "updated_at"}
]
CONTENT_FIELDS = [name for name in COPIED_FIELDS if name != "uid"]


def _audited(obj, acting_user: User | None, reason: str = "") -> None:
    obj._history_user = acting_user
    obj._change_reason = reason[:100] or None


def require_editable(inventory: Inventory) -> Inventory:
    """Lock the inventory row and check, from the database, that the agency may change it.
    Locking makes a write and a concurrent submission happen one after the other."""
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    if not inventory.is_editable:
        raise ValidationError(
            f"The {inventory.year} inventory is {inventory.get_status_display().lower()}: "
            "it can be changed again only if the reviewer returns it."
        )
    return inventory


@transaction.atomic
def inventory_start(*, agency: Agency, year: int, acting_user: User | None) -> Inventory:
    """Open a year's inventory, carrying forward the datasets of the agency's latest one."""
    if Inventory.objects.filter(agency=agency, year=year).exists():
        raise ValidationError(f"{agency} already has a {year} inventory.")
    inventory = Inventory(agency=agency, year=year, due_date=default_due_date(year))
    _audited(inventory, acting_user, "Started")
    inventory.save()
    previous = Inventory.objects.filter(agency=agency, year__lt=year).order_by("-year").first()
    if previous is not None:
        copies = [
            Dataset(
                inventory=inventory,
                agency=agency,
                **{name: getattr(row, name) for name in COPIED_FIELDS},
            )
            for row in previous.datasets.all()
        ]
        for copy in copies:
            copy.refresh_metadata_score()
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(copies, Dataset, default_user=acting_user)
    return inventory


@transaction.atomic
def dataset_create(
    *, inventory: Inventory, data: Mapping[str, Any], acting_user: User | None
) -> Dataset:
    require_editable(inventory)
    dataset = Dataset(inventory=inventory, agency=inventory.agency, **data)
    dataset.full_clean(exclude=["inventory", "agency"])
    _audited(dataset, acting_user, "Created")
    dataset.save()
    return dataset


@transaction.atomic
def dataset_update(
    *, dataset: Dataset, data: Mapping[str, Any], acting_user: User | None
) -> Dataset:
    require_editable(dataset.inventory)
    for name, value in data.items():
        setattr(dataset, name, value)
    dataset.full_clean(exclude=["inventory", "agency"])
    _audited(dataset, acting_user, "Edited")
    dataset.save()
    return dataset


@transaction.atomic
def dataset_delete(*, dataset: Dataset, acting_user: User | None) -> None:
    require_editable(dataset.inventory)
    _audited(dataset, acting_user, "Removed from the inventory")
    dataset.delete()


@transaction.atomic
def inventory_submit(
    *, inventory: Inventory, attested_name: str, attestation: str, acting_user: User
) -> Inventory:
    inventory = require_editable(inventory)
    if not inventory.datasets.exists():
        raise ValidationError("An inventory with no datasets cannot be submitted.")
    if not attested_name.strip():
        raise ValidationError({"attested_name": "Type your name to attest."})
    inventory.status = InventoryStatus.SUBMITTED
    inventory.submitted_by = acting_user
    inventory.submitted_at = timezone.now()
    inventory.attested_name = attested_name.strip()
    inventory.attestation = attestation
    _audited(inventory, acting_user, "Submitted")
    inventory.save()
    notices.send(
        "inventory_submitted",
        to=notices.cdo() + notices.dapa(),
        agency=inventory.agency,
        link=inventory.get_absolute_url(),
        context={"inventory": inventory, "count": inventory.datasets.count()},
    )
    return inventory


def _tell_the_ado(kind: str, inventory: Inventory, notes: list[ReviewComment]) -> None:
    notices.send(
        kind,
        to=notices.ado(inventory.agency_id),
        agency=inventory.agency,
        link=inventory.get_absolute_url(),
        context={"inventory": inventory, "notes": notes},
    )


@transaction.atomic
def inventory_accept(*, inventory: Inventory, comment: str, acting_user: User) -> Inventory:
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    if inventory.status != InventoryStatus.SUBMITTED:
        raise ValidationError("Only a submitted inventory can be accepted.")
    inventory.status = InventoryStatus.ACCEPTED
    inventory.reviewed_by = acting_user
    inventory.reviewed_at = timezone.now()
    inventory.review_comment = comment.strip()
    _audited(inventory, acting_user, "Accepted")
    inventory.save()
    if comment.strip():
        ReviewComment.objects.create(inventory=inventory, author=acting_user, text=comment.strip())
    _tell_the_ado("inventory_accepted", inventory, [])
    extensions.tell_inventory_accepted(inventory)
    return inventory


@transaction.atomic
def inventory_return(
    *,
    inventory: Inventory,
    comment: str,
    dataset_comments: Mapping[int, str] | None = None,
    acting_user: User,
) -> Inventory:
    """Send the inventory back to the agency, with a comment and optional per-dataset notes."""
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    if inventory.status != InventoryStatus.SUBMITTED:
        raise ValidationError("Only a submitted inventory can be returned.")
    notes = {pk: text.strip() for pk, text in (dataset_comments or {}).items() if text.strip()}
    if not comment.strip() and not notes:
        raise ValidationError({"comment": "Say what the agency should change."})
    datasets = {d.pk: d for d in inventory.datasets.filter(pk__in=list(notes))}
    if set(notes) - set(datasets):
        raise ValidationError("A comment names a dataset that is not in this inventory.")
    inventory.status = InventoryStatus.RETURNED
    inventory.reviewed_by = acting_user
    inventory.reviewed_at = timezone.now()
    inventory.review_comment = comment.strip()
    _audited(inventory, acting_user, "Returned")
    inventory.save()
    comments = [ReviewComment(inventory=inventory, author=acting_user, text=comment.strip())]
    comments = comments if comment.strip() else []
    comments += [
        ReviewComment(inventory=inventory, dataset=datasets[pk], author=acting_user, text=text)
        for pk, text in notes.items()
    ]
    ReviewComment.objects.bulk_create(comments)
    _tell_the_ado("inventory_returned", inventory, [c for c in comments if c.dataset_id])
    return inventory


def dataset_values(dataset: Dataset) -> dict[str, Any]:
    return {name: getattr(dataset, name) for name in CONTENT_FIELDS}


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return [name for name in CONTENT_FIELDS if old.get(name) != new.get(name)]


def bulk_values(datasets: Iterable[Dataset]) -> dict[str, dict[str, Any]]:
    return {str(d.uid): dataset_values(d) for d in datasets}
