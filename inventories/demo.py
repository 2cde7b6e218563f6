"""Demo inventories for `seed_demo`: one agency in each state, datasets of all access levels."""

from __future__ import annotations

from django.contrib.auth.models import User

from agencies.models import Agency
from inventories import services
from inventories.choices import AccessLevel, Availability, Category, GeographicUnit
from inventories.choices import UpdateFrequency as Freq
from inventories.models import Inventory

DATASETS = {
    "ocme": [
        {
            "title": "Accidental Drug Related Deaths 2012-2018",
            "description": "Deaths from accidental drug overdoses investigated by the OCME, with "
            "demographics, location and the drugs involved. From the OCME case system.",
            "criterion_b": True,
            "criterion_c": True,
            "criterion_f": True,
            "access_level": AccessLevel.PUBLIC,
            "category": Category.HEALTH,
            "geographic_unit": GeographicUnit.MUNICIPALITY,
            "update_frequency": Freq.ANNUALLY,
            "temporal_coverage": "2012-2018",
            "row_label": "Death",
            "tags": "overdose;opioids;public health",
            "availability": Availability.PORTAL,
            "portal_id": "rybz-nyjw",
            "has_quasi_identifiers": True,
            "quasi_identifiers_detail": "age, sex, race, residence town, date of death",
            "machine_readable": True,
            "data_format": "CSV",
        },
        {
            "title": "Autopsy Caseload by Month",
            "description": "Monthly counts of autopsies and external examinations.",
            "criterion_a": True,
            "criterion_h": True,
            "access_level": AccessLevel.RESTRICTED,
            "access_reason": "Counts under 5 are shared with researchers only (CGS §19a-411).",
            "category": Category.HEALTH,
            "update_frequency": Freq.MONTHLY,
            "availability": Availability.REPORT_ONLY,
        },
        {
            "title": "Case Investigation Files",
            "description": "Case files of death investigations.",
            "criterion_a": True,
            "access_level": AccessLevel.NON_PUBLIC,
            "access_reason": "Confidential under CGS §19a-411; holds personal health information.",
            "has_unique_identifiers": True,
            "unique_identifiers_detail": "decedent name, case number",
            "has_sensitive_attributes": True,
            "sensitive_attributes_detail": "cause and manner of death",
            "category": Category.HEALTH,
            "update_frequency": Freq.DAILY,
        },
    ],
    "dph": [
        {
            "title": "Licensed Health Care Facilities",
            "description": "Hospitals, nursing homes and clinics licensed by DPH, with addresses.",
            "criterion_c": True,
            "criterion_f": True,
            "access_level": AccessLevel.PUBLIC,
            "category": Category.HEALTH,
            "geographic_unit": GeographicUnit.ADDRESS,
            "update_frequency": Freq.WEEKLY,
            "availability": Availability.AGENCY_WEBSITE,
            "agency_url": "https://portal.ct.gov/dph/facility-licensing",
        },
        {
            "title": "Vital Records Birth Index",
            "description": "Index of recorded births.",
            "criterion_a": True,
            "access_level": AccessLevel.NON_PUBLIC,
            "access_reason": "Birth records are confidential under CGS §7-51.",
            "has_unique_identifiers": True,
            "category": Category.HEALTH,
        },
    ],
    "dot": [
        {
            "title": "Traffic Incident Feed",
            "description": "Real-time incidents on state highways, published as an XML feed.",
            "criterion_b": True,
            "criterion_e": True,
            "access_level": AccessLevel.PUBLIC,
            "category": Category.TRANSPORTATION,
            "geographic_unit": GeographicUnit.LATLONG,
            "update_frequency": Freq.DAILY,
            "availability": Availability.AGENCY_WEBSITE,
            "agency_url": "https://ctroads.org",
        },
        {
            "title": "Bridge Inspection Ratings",
            "description": "Condition ratings of state bridges.",
            "criterion_b": True,
            "access_level": AccessLevel.RESTRICTED,
            "access_reason": "Structural details are withheld for security (CGS §1-210(b)(19)).",
            "category": Category.TRANSPORTATION,
            "update_frequency": Freq.ANNUALLY,
        },
        {
            "title": "State Road Centerlines",
            "description": "Centerlines of state roads, a layer on the CT Geo Data Portal.",
            "criterion_b": True,
            "access_level": AccessLevel.PUBLIC,
            "category": Category.TRANSPORTATION,
            "geographic_unit": GeographicUnit.LATLONG,
            "update_frequency": Freq.MONTHLY,
            "availability": Availability.GEO_PORTAL,
            # An item the sandbox portal seeds (sandbox_portal/geo.py; ADR 0029).
            "geo_portal_url": "http://127.0.0.1:8001/datasets/0a1b2c3d4e5f40718293a4b5c6d7e8f9",
        },
        {
            "title": "Bridge Inspection Ratings (map)",
            "description": "The public map of state bridges' condition ratings.",
            "criterion_b": True,
            "access_level": AccessLevel.PUBLIC,
            "category": Category.TRANSPORTATION,
            "geographic_unit": GeographicUnit.LATLONG,
            "update_frequency": Freq.ANNUALLY,
            "availability": Availability.GEO_PORTAL,
            # The sandbox's stale item: last modified 450 days ago.
            "geo_portal_url": "http://127.0.0.1:8001/datasets/1b2c3d4e5f60718293a4b5c6d7e8f90a",
        },
    ],
}


def _fill(inventory: Inventory, slug: str) -> None:
    existing = set(inventory.datasets.values_list("title", flat=True))
    for values in DATASETS[slug]:
        if values["title"] not in existing:
            services.dataset_create(inventory=inventory, data=values, acting_user=None)


def seed(*, year: int) -> None:
    cdo = User.objects.get(username="cdo")
    plans = {"ocme": "accepted", "dph": "submitted", "dot": "returned"}
    for slug, state in plans.items():
        agency = Agency.objects.get(slug=slug)
        ado = agency.current_ado().user
        if Inventory.objects.filter(agency=agency, year=year - 1 if slug == "ocme" else year):
            continue
        inventory = services.inventory_start(
            agency=agency, year=year - 1 if slug == "ocme" else year, acting_user=ado
        )
        _fill(inventory, slug)
        services.inventory_submit(
            inventory=inventory,
            attested_name=ado.get_full_name(),
            attestation="Demo",
            acting_user=ado,
        )
        if state == "accepted":
            services.inventory_accept(inventory=inventory, comment="Complete.", acting_user=cdo)
            # And this year's draft, carried forward from the accepted one.
            services.inventory_start(agency=agency, year=year, acting_user=ado)
        elif state == "returned":
            services.inventory_return(
                inventory=inventory,
                comment="Please add the temporal coverage of each dataset.",
                acting_user=cdo,
            )
