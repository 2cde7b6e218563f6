"""The plan item form asks what the item's intent needs, starts from the inventory's reasons, and
its error summary links to each field."""

import re

import pytest
from django.urls import reverse

from access_plans import services
from access_plans.choices import Intent
from tests.access_plans.conftest import item_data
from tests.inventories.factories import DatasetFactory

NEW = reverse("access_plans:item_create", args=["alpha", 2026])


@pytest.fixture
def requested(inventory_a):
    """A dataset whose inventory entry gives reasons to publish."""
    return DatasetFactory(
        inventory=inventory_a,
        title="Death certificates",
        foi_subject=True,
        frequently_requested=True,
        requests_per_year=40,
        machine_readable=True,
    )


def _shown(html: str) -> set[str]:
    """Names of the inputs on the page that are neither hidden nor disabled."""
    inputs = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    return {
        re.search(r'name="([^"]+)"', tag).group(1)
        for tag in inputs
        if 'name="' in tag and "disabled" not in tag and 'type="hidden"' not in tag
    }


def test_a_new_item_starts_with_its_dataset_and_intent(client, ado_a, plan_a, requested):
    client.force_login(ado_a)
    first = client.get(NEW).content.decode()
    assert 'method="get"' in first
    assert 'name="update_process"' not in first  # nothing but the dataset and the intent
    page = client.get(NEW, {"dataset": requested.pk, "intent": "publish_new"}).content.decode()
    assert "Plan for “Death certificates”" in page
    assert f'type="hidden" name="dataset" value="{requested.pk}"' in page


def test_the_inventorys_reasons_are_prefilled(client, ado_a, plan_a, requested):
    client.force_login(ado_a)
    response = client.get(NEW, {"dataset": requested.pk, "intent": "publish_new"})
    form = response.context["form"]
    checked = {n for n in form.fields if n.startswith("reason_") and form[n].value() is True}
    assert checked == {"reason_foi", "reason_requested"}
    assert form["reason_requested_note"].value() == "About 40 requests a year."
    assert form["crit_machine_readable"].value() is True
    assert form["update_frequency"].value() == requested.update_frequency


def test_publishing_shows_no_privacy_part_for_an_unflagged_dataset(
    client, ado_a, plan_a, requested
):
    client.force_login(ado_a)
    page = client.get(NEW, {"dataset": requested.pk, "intent": "publish_new"}).content.decode()
    shown = _shown(page)
    assert {"eval_owned", "reason_foi", "crit_goals", "method", "target_date"} <= shown
    assert "privacy_treatment" not in shown
    assert "not_publishable_reason" not in shown


@pytest.mark.parametrize(
    ("intent", "asked"),
    [
        ("not_publishable", {"intent", "not_publishable_reason"}),
        ("retire", {"intent", "target_date", "owner"}),
    ],
)
def test_other_intents_ask_only_their_fields(client, ado_a, plan_a, requested, intent, asked):
    client.force_login(ado_a)
    page = client.get(NEW, {"dataset": requested.pk, "intent": intent}).content.decode()
    assert _shown(page) - {"csrfmiddlewaretoken"} == asked


def test_fields_of_another_intent_are_ignored(client, ado_a, plan_a, requested):
    client.force_login(ado_a)
    response = client.post(
        NEW,
        {
            "dataset": requested.pk,
            "intent": "not_publishable",
            "not_publishable_reason": "Federal law forbids it.",
            "method": "portal_upload",  # left over from another intent
            "target_date": "2026-06-30",
        },
    )
    assert response.status_code == 302
    item = plan_a.items.get()
    assert (item.intent, item.method, item.target_date) == ("not_publishable", "", None)


def test_changing_the_intent_keeps_the_saved_answers(client, ado_a, filled_plan_a):
    item = filled_plan_a.items.get(dataset__title="Licensed child care programs")
    client.force_login(ado_a)
    url = reverse("access_plans:item_edit", args=["alpha", 2026, item.pk])
    response = client.post(url, {"intent": "retire", "target_date": "2026-10-01"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.intent, str(item.target_date), item.method) == (
        Intent.RETIRE,
        "2026-10-01",
        "portal_upload",
    )


def test_the_error_summary_links_to_each_field(client, ado_a, plan_a, datasets_a):
    client.force_login(ado_a)
    flagged = datasets_a["Child care inspections"]
    response = client.post(NEW, {"dataset": flagged.pk, "intent": "publish_new"})
    page = response.content.decode()
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert {"id_method", "id_privacy_treatment", "id_evaluation_justification"} <= set(links)
    for anchor in links:
        assert f'id="{anchor}"' in page  # every link lands on a field
    assert not plan_a.items.exists()


def test_a_missing_intent_links_to_its_field(client, ado_a, filled_plan_a):
    item = filled_plan_a.items.first()
    client.force_login(ado_a)
    url = reverse("access_plans:item_edit", args=["alpha", 2026, item.pk])
    page = client.post(url, {}).content.decode()
    assert '<a href="#id_intent">' in page
    assert 'id="id_intent"' in page


def test_an_edited_item_keeps_its_own_answers_not_the_inventorys(client, ado_a, plan_a, requested):
    item = services.item_create(
        plan=plan_a, dataset=requested, data=item_data(reason_foi=False), acting_user=ado_a
    )
    client.force_login(ado_a)
    url = reverse("access_plans:item_edit", args=["alpha", 2026, item.pk])
    form = client.get(url).context["form"]
    assert form["reason_foi"].value() is False


def test_the_first_step_links_a_missing_intent_to_its_first_radio(client, ado_a, plan_a, requested):
    client.force_login(ado_a)
    page = client.get(NEW, {"dataset": requested.pk}).content.decode()
    assert '<a href="#id_intent_0">' in page
    assert 'id="id_intent_0"' in page
    assert 'id="item-form"' not in page
