import datetime

import pytest

from access_plans import services
from access_plans.choices import Intent, Method, PrivacyTreatment
from inventories.choices import AccessLevel, Availability
from inventories.choices import UpdateFrequency as Freq
from tests.inventories.factories import DatasetFactory, InventoryFactory

ALL_CONDITIONS = {
    "eval_owned": True,
    "eval_no_fee": True,
    "eval_unrestricted": True,
    "eval_update_plan": True,
    "eval_privacy_safe": True,
}


def item_data(**overrides) -> dict:
    """A complete, valid item for a dataset without privacy flags."""
    return {
        "intent": Intent.PUBLISH_NEW,
        **ALL_CONDITIONS,
        "crit_goals": True,
        "crit_quality": True,
        "method": Method.PORTAL_UPLOAD,
        "target_date": datetime.date(2026, 6, 30),
        "update_frequency": Freq.MONTHLY,
        "update_process": "Licensing exports the table monthly.",
        **overrides,
    }


@pytest.fixture
def inventory_a(agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2026)
    DatasetFactory(inventory=inventory, title="Licensed child care programs")
    DatasetFactory(
        inventory=inventory,
        title="Child care inspections",
        has_quasi_identifiers=True,
        quasi_identifiers_detail="town, inspection date",
    )
    DatasetFactory(
        inventory=inventory,
        title="Subsidy payments",
        access_level=AccessLevel.RESTRICTED,
        access_reason="Vendor contracts restrict redistribution.",
        availability=Availability.PORTAL,
        portal_id="abcd-1234",
    )
    return inventory


@pytest.fixture
def plan_a(inventory_a, ado_a):
    return services.plan_start(agency=inventory_a.agency, year=2026, acting_user=ado_a)


@pytest.fixture
def datasets_a(inventory_a):
    return {d.title: d for d in inventory_a.datasets.all()}


@pytest.fixture
def filled_plan_a(plan_a, datasets_a, ado_a):
    """A plan with an item needing a privacy treatment and one failing a condition."""
    services.item_create(
        plan=plan_a,
        dataset=datasets_a["Licensed child care programs"],
        data=item_data(),
        acting_user=ado_a,
    )
    services.item_create(
        plan=plan_a,
        dataset=datasets_a["Child care inspections"],
        data=item_data(
            privacy_treatment=PrivacyTreatment.AGGREGATE, aggregation_level="town × year"
        ),
        acting_user=ado_a,
    )
    services.item_create(
        plan=plan_a,
        dataset=datasets_a["Subsidy payments"],
        data=item_data(
            intent=Intent.MAINTAIN,
            eval_unrestricted=False,
            evaluation_justification="The vendor agreed in writing to publication of totals.",
        ),
        acting_user=ado_a,
    )
    return plan_a


@pytest.fixture
def inventory_b(agency_b):
    inventory = InventoryFactory(agency=agency_b, year=2026)
    DatasetFactory(inventory=inventory, title="Beta roads")
    return inventory


@pytest.fixture
def plan_b(inventory_b, ado_b):
    plan = services.plan_start(agency=inventory_b.agency, year=2026, acting_user=ado_b)
    services.item_create(
        plan=plan, dataset=inventory_b.datasets.get(), data=item_data(), acting_user=ado_b
    )
    return plan
