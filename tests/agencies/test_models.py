import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agencies import services
from agencies.models import Agency, Membership, Participation, Role
from tests.factories import AgencyFactory, MembershipFactory, UserFactory


def test_database_refuses_a_second_active_ado(agency_a, ado_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(agency=agency_a, role=Role.ADO)


def test_an_ended_ado_does_not_block_a_new_one(agency_a, ado_a):
    old = Membership.objects.get(user=ado_a)
    old.end(reason="Retired")
    old.save()
    MembershipFactory(agency=agency_a, role=Role.ADO)
    assert Membership.objects.filter(agency=agency_a, role=Role.ADO).count() == 2
    assert agency_a.current_ado().user != ado_a


def test_designating_a_new_ado_ends_the_previous_one_and_keeps_history(agency_a, ado_a, cdo):
    successor = UserFactory(username="dora")
    services.membership_designate_ado(
        agency=agency_a, user=successor, reason="Alice moved to DAS", acting_user=cdo
    )
    previous = Membership.objects.get(user=ado_a, role=Role.ADO)
    assert previous.end_date is not None
    assert previous.reason == "Replaced: Alice moved to DAS"
    assert agency_a.current_ado().user == successor
    change = previous.history.latest()
    assert change.history_user == cdo
    assert change.end_date == previous.end_date
    assert agency_a.current_ado().history.latest().history_user == cdo


def test_designation_needs_a_reason_and_a_new_person(agency_a, ado_a, cdo):
    with pytest.raises(ValidationError, match="why"):
        services.membership_designate_ado(agency=agency_a, user=ado_a, reason=" ", acting_user=cdo)
    with pytest.raises(ValidationError, match="already the ADO"):
        services.membership_designate_ado(agency=agency_a, user=ado_a, reason="x", acting_user=cdo)


def test_membership_add_refuses_ado_role_and_duplicates(agency_a, publisher_a, cdo):
    with pytest.raises(ValidationError, match="designation"):
        services.membership_add(agency=agency_a, user=publisher_a, role=Role.ADO, acting_user=cdo)
    with pytest.raises(ValidationError, match="already has this role"):
        services.membership_add(
            agency=agency_a, user=publisher_a, role=Role.PUBLISHER, acting_user=cdo
        )


def test_notice_date_is_only_for_voluntary_participants(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(participation=Participation.REQUIRED, notice_date="2019-03-01")
    agency = AgencyFactory(participation=Participation.VOLUNTARY, notice_date="2019-03-01")
    assert agency.notice_date is not None


def test_shipped_agency_list_is_loaded_by_migration(db):
    slugs = set(Agency.objects.values_list("slug", flat=True))
    assert {"ocme", "dph", "dot", "osc", "green-bank", "hartford", "new-haven"} <= slugs
    assert Agency.objects.get(slug="green-bank").participation == Participation.VOLUNTARY
    assert Agency.objects.filter(branch="municipal").count() == 4


def test_without_ado_lists_agencies_lacking_a_current_designation(agency_a, agency_b, ado_a):
    lacking = set(Agency.objects.without_ado().values_list("slug", flat=True))
    assert "beta" in lacking
    assert "alpha" not in lacking
