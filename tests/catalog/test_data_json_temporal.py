"""data.json never publishes a temporal coverage the dataset form would refuse (#16): rows stored
before periods were checked are left without `temporal`, and the checklist says why."""

import pytest

from inventories.quality import dataset_quality
from tests.catalog.test_data_json import _accepted, _entries, _validator
from tests.inventories.factories import DatasetFactory

pytestmark = pytest.mark.django_db


def test_an_impossible_stored_period_is_left_out_and_flagged(client, agency_a):
    inventory = _accepted(agency_a)
    stored = {
        "Impossible month": "1980-01-01/2025-13-45",
        "Backwards": "2018/2012",
        "No such day": "2023-02-29/2024-01-01",
        "Fine": "2012-2018",
    }
    for title, coverage in stored.items():  # saved directly, as rows older than the check were
        DatasetFactory(inventory=inventory, title=title, temporal_coverage=coverage)

    body = client.get("/data.json").json()
    entries = _entries(client)

    _validator().validate(body)
    assert entries["Fine"]["temporal"] == "2012/2018"
    for title in ("Impossible month", "Backwards", "No such day"):
        assert "temporal" not in entries[title], title
        dataset = inventory.datasets.get(title=title)
        assert "temporal_coverage_invalid" in dataset_quality(dataset).codes(), title
