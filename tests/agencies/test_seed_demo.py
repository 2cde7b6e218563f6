import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from agencies.models import Agency, Membership, Role
from inventories.models import Dataset, Inventory


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo")
    counts = (User.objects.count(), Membership.objects.count(), Dataset.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Membership.objects.count(), Dataset.objects.count()) == counts
    for slug in ["ocme", "dph", "dot"]:
        agency = Agency.objects.get(slug=slug)
        assert agency.current_ado().user.username == f"ado.{slug}"
        assert Membership.objects.current().filter(agency=agency, role=Role.PUBLISHER).exists()
    assert User.objects.get(username="cdo").check_password("ctodp-demo")
    statuses = set(Inventory.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "accepted"}
    levels = set(Dataset.objects.values_list("access_level", flat=True))
    assert levels == {"public", "restricted public", "non-public"}
    assert User.objects.get(username="dapa").groups.filter(name="DAPA analyst").exists()


def test_seed_demo_refuses_production_settings(db, settings):
    settings.CTODP_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.filter(username="cdo").exists()
