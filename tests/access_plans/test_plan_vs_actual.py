"""Plan vs actual: % published, % on time, % at the planned frequency."""

import datetime

import pytest
from django.urls import reverse

from access_plans import selectors, services
from inventories.choices import Availability, UpdateFrequency
from inventories.models import Dataset


def _publish(dataset, **fields) -> None:
    for name, value in fields.items():
        setattr(dataset, name, value)
    dataset.save()


def _backdate_publication(dataset, day: datetime.date) -> None:
    history = Dataset.history.filter(uid=dataset.uid)
    stamp = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    history.update(history_date=stamp)


@pytest.mark.clock("2026-09-15T12:00:00Z")  # after every target date of the plan
def test_figures_from_the_inventorys_availability(filled_plan_a, datasets_a, ado_a):
    programs = datasets_a["Licensed child care programs"]
    _publish(programs, availability=Availability.AGENCY_WEBSITE, agency_url="https://ct.example/p")
    _backdate_publication(programs, datetime.date(2026, 3, 1))  # before its 2026-06-30 target
    # Published today on the portal: after its target (yesterday), and declared only annually
    # while the plan promised monthly updates.
    subsidy = filled_plan_a.items.get(dataset__title="Subsidy payments")
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    services.item_update(item=subsidy, data={"target_date": yesterday}, acting_user=ado_a)
    _publish(datasets_a["Subsidy payments"], update_frequency=UpdateFrequency.ANNUALLY)
    figures = selectors.figures_for(list(selectors.plan_items(filled_plan_a)))
    assert (figures.planned, figures.published, figures.published_pct) == (3, 2, 67)
    assert (figures.on_time, figures.due, figures.on_time_pct) == (1, 3, 33)
    assert (figures.at_frequency, figures.at_frequency_pct) == (1, 50)


def test_availability_without_its_link_is_not_published(filled_plan_a, datasets_a):
    _publish(datasets_a["Licensed child care programs"], availability=Availability.PORTAL)
    figures = selectors.figures_for(list(selectors.plan_items(filled_plan_a)))
    assert figures.published == 1  # only Subsidy payments, which has its portal id


def test_retired_and_unpublishable_items_are_not_planned(filled_plan_a, ado_a):
    item = filled_plan_a.items.get(dataset__title="Licensed child care programs")
    services.item_update(
        item=item,
        data={"intent": "not_publishable", "not_publishable_reason": "Federal."},
        acting_user=ado_a,
    )
    assert selectors.figures_for(list(selectors.plan_items(filled_plan_a))).planned == 2


def test_plan_page_and_metrics_page_show_the_figures(client, cdo, ado_a, filled_plan_a):
    client.force_login(ado_a)
    page = client.get(filled_plan_a.get_absolute_url()).content.decode()
    assert "of planned datasets published (1 of 3)" in page
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    client.force_login(cdo)
    response = client.get(reverse("access_plans:metrics"), {"year": 2026})
    [(plan, figures)] = response.context["rows"]
    assert plan == filled_plan_a
    assert figures.published_pct == 33


def _public_publication(dataset, user, *, made_public_on, last_success=None):
    from django.utils import timezone

    from publishing.models import Publication, PublicationRun, RunStatus

    moment = datetime.datetime.combine(made_public_on, datetime.time(12), tzinfo=datetime.UTC)
    publication = Publication.objects.create(
        dataset=dataset,
        agency=dataset.agency,
        portal_id="wxyz-9876",
        visibility="public",
        made_public_at=moment,
        created_by=user,
    )
    if last_success is not None:
        PublicationRun.objects.create(
            publication=publication,
            status=RunStatus.SUCCEEDED,
            finished_at=timezone.now() - last_success,
        )
    return publication


def test_publication_records_count_as_published_and_refreshed(filled_plan_a, datasets_a, ado_a):
    items = list(selectors.plan_items(filled_plan_a))
    assert selectors.figures_for(items).published == 1  # Subsidy payments, from the inventory
    programs = datasets_a["Licensed child care programs"]
    _public_publication(
        programs,
        ado_a,
        made_public_on=datetime.date(2026, 3, 1),
        last_success=datetime.timedelta(days=10),
    )
    actuals = selectors.publication_actuals(items)
    item = next(i for i in items if i.dataset_id == programs.pk)
    assert actuals[item.pk].published_on == datetime.date(2026, 3, 1)  # before the June target
    assert actuals[item.pk].at_frequency is True  # monthly plan, pushed ten days ago
    figures = selectors.figures_for(items, actuals)
    assert (figures.published, figures.on_time) == (2, 1)


def test_a_stale_publication_is_not_at_the_planned_frequency(filled_plan_a, datasets_a, ado_a):
    items = list(selectors.plan_items(filled_plan_a))
    programs = datasets_a["Licensed child care programs"]
    _public_publication(
        programs,
        ado_a,
        made_public_on=datetime.date(2026, 3, 1),
        last_success=datetime.timedelta(days=90),  # monthly promised
    )
    item = next(i for i in items if i.dataset_id == programs.pk)
    assert selectors.publication_actuals(items)[item.pk].at_frequency is False


def test_plan_vs_actual_queries_do_not_grow_with_items(
    filled_plan_a, datasets_a, ado_a, django_assert_num_queries
):
    items = list(selectors.plan_items(filled_plan_a))
    with django_assert_num_queries(3):  # inventory history dates, publications, runs
        selectors.publication_actuals(items)
    for dataset in datasets_a.values():
        _public_publication(
            dataset, ado_a, made_public_on=datetime.date(2026, 2, 1), last_success=None
        )
    with django_assert_num_queries(3):
        selectors.publication_actuals(items)


def test_the_succeeded_status_agrees_with_publishing():
    # access_plans reads runs by this name without importing publishing (ADR 0013).
    from access_plans.selectors import RUN_SUCCEEDED
    from publishing.models import RunStatus

    assert RunStatus.SUCCEEDED == RUN_SUCCEEDED
