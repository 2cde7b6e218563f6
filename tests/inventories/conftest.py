import pytest

from inventories.choices import AccessLevel
from tests.inventories.factories import DatasetFactory, InventoryFactory


@pytest.fixture
def inventory_a(agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2026)
    DatasetFactory(inventory=inventory, title="Licensed child care programs")
    DatasetFactory(
        inventory=inventory,
        title="Child abuse case files",
        access_level=AccessLevel.NON_PUBLIC,
        access_reason="Confidential under CGS §17a-28.",
        has_unique_identifiers=True,
    )
    return inventory


@pytest.fixture
def inventory_b(agency_b):
    inventory = InventoryFactory(agency=agency_b, year=2026)
    DatasetFactory(inventory=inventory, title="Beta secrets", description="Only for Beta")
    return inventory
