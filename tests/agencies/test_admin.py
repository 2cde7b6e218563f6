import pytest
from django.urls import reverse

from agencies.models import Agency


@pytest.mark.parametrize("persona", ["cdo", "dapa", "portal_admin"])
def test_program_staff_reach_the_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("persona", ["ado_a", "publisher_a", "outsider"])
def test_agency_users_are_sent_to_the_admin_login(client, request, persona):
    user = request.getfixturevalue(persona)
    user.is_staff = True  # even a stray flag does not open the door
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:agencies_agency_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_cdo_searches_and_filters_agencies_in_the_admin(client, cdo):
    client.force_login(cdo)
    url = reverse("admin:agencies_agency_changelist")
    response = client.get(url, {"q": "Medical Examiner"})
    assert [a.slug for a in response.context["cl"].result_list] == ["ocme"]
    response = client.get(url, {"branch__exact": "municipal"})
    assert response.context["cl"].result_count == 4


def test_admin_edit_is_audited_with_the_acting_user(client, cdo):
    client.force_login(cdo)
    agency = Agency.objects.get(slug="ocme")
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "website": "https://portal.ct.gov/ocme",
            "attribution": "Office of the Chief Medical Examiner",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = agency.history.latest()
    assert latest.history_user == cdo
    assert latest.attribution == "Office of the Chief Medical Examiner"


def test_dapa_may_view_but_not_change_agencies_in_the_admin(client, dapa):
    client.force_login(dapa)
    agency = Agency.objects.get(slug="ocme")
    assert client.get(reverse("admin:agencies_agency_changelist")).status_code == 200
    url = reverse("admin:agencies_agency_change", args=[agency.pk])
    response = client.post(url, {"name": "Hacked"})
    agency.refresh_from_db()
    assert agency.name == "Office of the Chief Medical Examiner"
    assert response.status_code == 403
