"""Writes to sharing agreements (ADR 0026)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from sharing.models import Agreement

RELATIONS = ("parties", "datasets", "contributors")


@transaction.atomic
def agreement_save(
    *, agreement: Agreement | None = None, data: dict[str, Any], acting_user: User
) -> Agreement:
    """Create or change an agreement and its parties, datasets and contributors, all or nothing."""
    agreement = agreement or Agreement(created_by=acting_user)
    related = {name: data.pop(name) for name in RELATIONS if name in data}
    for name, value in data.items():
        setattr(agreement, name, value)
    agreement.full_clean(exclude=[*RELATIONS, "created_by"])  # seed_demo has no user
    agreement._history_user = acting_user
    agreement.save()
    for name, value in related.items():
        getattr(agreement, name).set(value)
    return agreement
