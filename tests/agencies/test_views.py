import pytest
from django.urls import reverse

from agencies.models import Membership, Role
from tests.factories import AgencyFactory, MembershipFactory, UserFactory


@pytest.mark.parametrize(
    ("persona", "status"),
    [("cdo", 200), ("dapa", 200), ("portal_admin", 200), ("ado_a", 403), ("publisher_a", 403)],
)
def test_directory_is_for_program_staff(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("agencies:directory")).status_code == status


def test_directory_filters_by_branch_and_search(client, dapa):
    client.force_login(dapa)
    response = client.get(reverse("agencies:directory"), {"branch": "municipal"})
    names = [a.name for a in response.context["agencies"]]
    assert "City of Hartford" in names
    assert all(a.branch == "municipal" for a in response.context["agencies"])
    response = client.get(reverse("agencies:directory"), {"search": "OCME"})
    assert [a.slug for a in response.context["agencies"]] == ["ocme"]


def test_directory_query_count_is_constant_in_agencies(client, dapa, django_assert_max_num_queries):
    client.force_login(dapa)
    url = reverse("agencies:directory")
    client.get(url)  # warm the session and content types
    with django_assert_max_num_queries(8) as small:
        client.get(url)
    for _ in range(40):
        MembershipFactory(agency=AgencyFactory(), role=Role.ADO)
    with django_assert_max_num_queries(8) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ado_a", 200), ("viewer_a", 200), ("cdo", 200), ("ado_b", 404), ("outsider", 404)],
)
def test_agency_page_is_for_its_members_and_staff(client, request, agency_a, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("agencies:detail", args=[agency_a.slug])).status_code == status


def test_agency_page_shows_the_ado_and_contact(client, agency_a, ado_a, viewer_a):
    client.force_login(viewer_a)
    body = client.get(reverse("agencies:detail", args=["alpha"])).content.decode()
    assert "Alice Adams" in body
    assert "alice@ct.example" in body
    assert "Change the ADO" not in body  # a viewer may not designate


def test_my_agency_redirects_to_the_only_agency(client, publisher_a, agency_a):
    client.force_login(publisher_a)
    response = client.get(reverse("agencies:mine"))
    assert response.status_code == 302
    assert response.url == agency_a.get_absolute_url()


@pytest.mark.parametrize("persona", ["cdo", "dapa"])
def test_cdo_and_dapa_designate_an_ado_with_a_reason(client, request, agency_a, ado_a, persona):
    actor = request.getfixturevalue(persona)
    successor = UserFactory(username="dora", first_name="Dora", last_name="Diaz")
    client.force_login(actor)
    url = reverse("agencies:designate_ado", args=["alpha"])
    response = client.post(url, {"user": successor.pk, "reason": "Alice retired"})
    assert response.status_code == 302
    assert agency_a.current_ado().user == successor
    ended = Membership.objects.get(user=ado_a)
    assert ended.end_date is not None
    assert ended.history.latest().history_user == actor


def test_designation_without_reason_shows_the_error_and_changes_nothing(client, cdo, ado_a):
    client.force_login(cdo)
    successor = UserFactory(username="dora")
    url = reverse("agencies:designate_ado", args=["alpha"])
    response = client.post(url, {"user": successor.pk, "reason": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Membership.objects.current().get(role=Role.ADO).user == ado_a


@pytest.mark.parametrize("persona", ["ado_a", "publisher_a", "portal_admin"])
def test_others_may_not_designate(client, request, agency_a, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("agencies:designate_ado", args=["alpha"])
    assert client.get(url).status_code == 403


def test_ado_adds_and_removes_a_publisher(client, ado_a, agency_a):
    newcomer = UserFactory(username="erin")
    client.force_login(ado_a)
    add = reverse("agencies:add_member", args=["alpha"])
    assert client.post(add, {"user": newcomer.pk, "role": "publisher"}).status_code == 302
    membership = Membership.objects.current().get(user=newcomer, agency=agency_a)
    end = reverse("agencies:end_member", args=["alpha", membership.pk])
    assert client.post(end, {"reason": "Moved to another unit"}).status_code == 302
    membership.refresh_from_db()
    assert membership.end_date is not None


def test_ado_of_another_agency_cannot_add_members(client, ado_b, agency_a):
    client.force_login(ado_b)
    add = reverse("agencies:add_member", args=["alpha"])
    response = client.post(add, {"user": ado_b.pk, "role": "publisher"})
    assert response.status_code == 404
    assert not Membership.objects.filter(agency=agency_a, user=ado_b).exists()


def test_publisher_cannot_remove_colleagues(client, publisher_a, viewer_a):
    client.force_login(publisher_a)
    membership = viewer_a.memberships.get()
    end = reverse("agencies:end_member", args=["alpha", membership.pk])
    assert client.post(end, {"reason": "x"}).status_code == 403
    membership.refresh_from_db()
    assert membership.end_date is None


def test_home_lists_agencies_without_ado_for_staff(client, dapa, agency_b):
    client.force_login(dapa)
    response = client.get(reverse("home"))
    assert agency_b in response.context["without_ado"]
