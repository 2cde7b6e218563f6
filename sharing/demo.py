"""Demo agreements for `make run` (idempotent): OCME and DPH have their OPM agreements, DOT none;
OCME's first dataset is shared with DPH and DOT, so it shows as a core dataset."""

from __future__ import annotations

import datetime

from agencies.models import Agency
from sharing import services
from sharing.models import Agreement, AgreementStatus

TERMS = {
    "purpose": "Program evaluation and performance management across agencies.",
    "legal_basis": "The 2015 data sharing legislation; the agencies' enabling statutes.",
    "security_terms": "Encrypted at rest and in transit; named analysts only; destroyed at end.",
    "renewal_terms": "Renewable for two years by letter of both parties.",
    "status": AgreementStatus.IN_FORCE,
}


def seed(*, year: int) -> None:
    agencies = {
        agency.slug: agency for agency in Agency.objects.filter(slug__in=["ocme", "dph", "dot"])
    }
    starts, ends = datetime.date(year, 1, 1), datetime.date(year + 1, 12, 31)
    for slug in ("ocme", "dph"):
        _agreement(
            f"{agencies[slug].acronym or slug.upper()} — OPM data sharing agreement",
            parties=[agencies[slug]],
            with_opm=True,
            starts_on=starts,
            ends_on=ends,
        )
    shared = agencies["ocme"].datasets.order_by("inventory__year", "title").first()
    if shared is not None:
        _agreement(
            "Overdose surveillance (OCME, DPH, DOT)",
            parties=list(agencies.values()),
            with_opm=False,
            datasets=[shared],
            outside_parties="UConn Health",
            starts_on=starts,
            ends_on=datetime.date(year, 12, 31),
        )


def _agreement(title: str, **data) -> None:
    if Agreement.objects.filter(title=title).exists():
        return
    services.agreement_save(data={"title": title, **TERMS, **data}, acting_user=None)
