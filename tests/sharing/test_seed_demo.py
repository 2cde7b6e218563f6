import datetime

import pytest
from django.core.management import call_command

from agencies.models import Agency
from sharing import selectors
from sharing.models import Agreement

pytestmark = pytest.mark.clock(datetime.datetime(2026, 6, 1, 14, tzinfo=datetime.UTC))


def test_seed_demo_adds_opm_agreements_and_a_core_dataset(db):
    call_command("seed_demo")
    count = Agreement.objects.count()
    call_command("seed_demo")
    assert Agreement.objects.count() == count == 3
    agencies = Agency.objects.filter(slug__in=["ocme", "dph", "dot"])
    opm = selectors.opm_statuses(agencies)
    statuses = {agency.slug: opm[agency.pk] for agency in agencies}
    assert statuses == {"ocme": "in force", "dph": "in force", "dot": "none"}
    [(dataset, others)] = selectors.core_datasets()
    assert (dataset.agency.slug, others) == ("ocme", 2)
