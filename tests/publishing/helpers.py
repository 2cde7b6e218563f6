"""Shared pieces of the publishing tests: the OCME slice, a ready publication, the portal's rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from sodapy import Socrata

from inventories.choices import Category, GeographicUnit, UpdateFrequency
from inventories.models import Inventory
from privacy.models import PrivacyScreen
from publishing import services
from publishing.models import Publication, RunStatus
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.sandbox import requests_seen
from upkeep.models import AssetLink, PortalAsset

OCME = Path(__file__).parents[1] / "data" / "ocme_slice.csv"


def ocme_records() -> list[dict[str, str]]:
    with OCME.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def ocme_upload(name: str = "ocme_slice.csv", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, OCME.read_bytes() if content is None else content, "text/csv")


def ocme_head(rows: int) -> SimpleUploadedFile:
    """The first `rows` records of the OCME slice, as an upload."""
    records = ocme_records()[:rows]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    return ocme_upload(content=out.getvalue().encode())


def ocme_dataset(agency):
    inventory = Inventory.objects.filter(agency=agency).first() or InventoryFactory(agency=agency)
    return DatasetFactory(
        inventory=inventory,
        title="Accidental Drug Related Deaths 2012-2018",
        description="Deaths from accidental drug overdoses, from the OCME.",
        category=Category.HEALTH,
        geographic_unit=GeographicUnit.MUNICIPALITY,
        update_frequency=UpdateFrequency.ANNUALLY,
        temporal_coverage="2012-2018",
        row_label="Death",
        tags="overdose;opioids",
        source_link="https://portal.ct.gov/ocme",
    )


def attach(publication: Publication, user, **source: Any) -> services.Attached:
    """Attach a source and run what waits for the commit: a URL or SQL source's check (the
    test settings run tasks in place), a replaced file's deletion. The publication is reloaded;
    `check` is the check as it ended."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        attached = services.publication_attach_source(
            publication=publication, acting_user=user, **source
        )
    publication.refresh_from_db()
    if attached.check is not None:
        attached.check.refresh_from_db()
    return attached


def ready_publication(dataset, user, *, mode: str = "upsert", **source: Any) -> Publication:
    """A publication with the OCME slice attached and its columns confirmed (ID as row id)."""
    publication = services.publication_create(dataset=dataset, acting_user=user, mode=mode)
    attach(publication, user, **(source or {"file": ocme_upload()}))
    return services.publication_confirm_columns(
        publication=publication, acting_user=user, row_identifier="id"
    )


def record_screen(publication: Publication, *, verdict: str = "low", **fields) -> PrivacyScreen:
    """A succeeded privacy screen of the publication's current source, without running the
    engine: for tests about what comes after the gate (ADR 0007)."""
    publication.refresh_from_db(fields=["source_version"])
    return PrivacyScreen.objects.create(
        publication=publication,
        status=RunStatus.SUCCEEDED,
        source_version=publication.source_version,
        verdict=verdict,
        k=fields.pop("k", 10),
        records_at_risk=fields.pop("records_at_risk", 0.0),
        **fields,
    )


def portal_rows(domain: str, dataset_id: str, username: str, password: str) -> list[dict]:
    """Every row on the sandbox, read with sodapy's own get_all."""
    adapter = {"prefix": "http://", "adapter": requests.adapters.HTTPAdapter()}
    with Socrata(domain, None, username, password, session_adapter=adapter) as client:
        return list(client.get_all(dataset_id, order=":id"))


def expected_rows(records: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """The file's rows as the portal stores them: empty cells absent, dates in ISO form."""
    from datetime import datetime

    expected = {}
    for record in records:
        row = {k.lower(): v for k, v in record.items() if v != ""}
        if "date" in row:
            parsed = datetime.strptime(row["date"], "%m/%d/%Y %I:%M:%S %p")
            row["date"] = parsed.strftime("%Y-%m-%dT%H:%M:%S.000")
        for key in ("age",):
            if key in row:
                row[key] = row[key].strip()
        expected[row["id"]] = row
    return expected


def sandbox_writes(sandbox) -> list[dict]:
    """The portal's write requests so far (the sandbox's log, read with its credentials)."""
    seen = requests_seen(sandbox)
    return [r for r in seen if r["method"] in ("POST", "PUT", "PATCH", "DELETE")]


def owned(portal_id: str, agency=None) -> PortalAsset:
    """What the portal sync would have recorded for an asset: its owner (None: unclaimed). A
    publisher adopts only an asset of their own agency (ADR 0016)."""
    now = timezone.now()
    return PortalAsset.objects.create(
        portal_id=portal_id,
        name=f"Asset {portal_id}",
        first_seen_at=now,
        last_seen_at=now,
        agency=agency,
        link=AssetLink.INVENTORY if agency else AssetLink.NONE,
    )


def counts_of(run) -> dict[str, int]:
    """A run's row counters, named as the sandbox's write tally names them."""
    run.refresh_from_db()
    return {
        "created": run.rows_created,
        "updated": run.rows_updated,
        "deleted": run.rows_deleted,
        "unknown": run.rows_unknown,
    }


def received(tally: dict[str, int]) -> dict[str, int]:
    """The sandbox's tally as a run should count it: a replace's truncated rows are deleted."""
    return {
        "created": tally["created"],
        "updated": tally["updated"],
        "deleted": tally["deleted"] + tally["truncated"],
        "unknown": tally["unacknowledged_rows"],
    }
