"""The list of participating agencies shipped with ctodp (agencies/data/agencies.csv).

Sources: CGS §4-38c (executive branch departments), the voluntary participants and large
cities named in shared/DOMAIN.md. Loading is idempotent: existing rows are matched by slug and
only filled in, never overwritten, so edits made in the admin survive a reload.
"""

import csv
from pathlib import Path

AGENCY_LIST = Path(__file__).resolve().parent / "data" / "agencies.csv"


def load_agency_rows() -> list[dict[str, str]]:
    with AGENCY_LIST.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_agencies(agency_model) -> tuple[int, int]:
    """Create the agencies that are missing; returns (created, already present)."""
    created = present = 0
    for row in load_agency_rows():
        _, was_created = agency_model.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "acronym": row["acronym"],
                "branch": row["branch"],
                "participation": row["participation"],
                "website": row["website"],
            },
        )
        created += was_created
        present += not was_created
    return created, present
