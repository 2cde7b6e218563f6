"""Governance gates of publishing (ADR 0016): whose portal asset a publication may adopt, what a
push may do to an adopted asset, and which datasets may reach the portal at all."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from access_plans.choices import Intent, PlanStatus
from access_plans.models import AccessPlan, PlanItem
from inventories.choices import AccessLevel
from publishing import services
from publishing.models import Kind, Publication, PublicationRun, RunStatus
from tests.publishing.helpers import (
    ocme_dataset,
    ocme_upload,
    owned,
    ready_publication,
    record_screen,
)
from tests.sandbox import SONG_COLUMNS


@pytest.fixture
def dataset(agency_a):
    return ocme_dataset(agency_a)


def _run(publication, user, capture) -> PublicationRun:
    with capture(execute=True):
        run = services.run_start(publication=publication, acting_user=user)
    run.refresh_from_db()
    return run


# --- 1. Adoption ---------------------------------------------------------------------------


def test_a_publisher_cannot_adopt_another_agencys_asset(dataset, publisher_a, agency_b):
    owned("dph1-2345", agency_b)

    with pytest.raises(ValidationError, match="belongs to Department of Beta") as refused:
        services.publication_create(dataset=dataset, acting_user=publisher_a, portal_id="dph1-2345")

    assert "portal_id" in refused.value.message_dict
    assert not Publication.objects.exists()


def test_a_publisher_adopts_an_asset_of_their_own_agency(dataset, publisher_a, agency_a):
    owned("ocme-2018", agency_a)

    publication = services.publication_create(
        dataset=dataset, acting_user=publisher_a, portal_id="ocme-2018"
    )

    assert publication.adopted


def test_an_unassigned_asset_is_assigned_by_program_staff_first(dataset, publisher_a):
    owned("zzzz-0001")

    with pytest.raises(ValidationError, match="not assigned to any agency yet"):
        services.publication_create(dataset=dataset, acting_user=publisher_a, portal_id="zzzz-0001")


def test_only_program_staff_adopt_an_asset_the_sync_has_not_seen(
    dataset, publisher_a, portal_admin
):
    with pytest.raises(ValidationError, match="Only a portal administrator may adopt"):
        services.publication_create(dataset=dataset, acting_user=publisher_a, portal_id="new1-0001")

    publication = services.publication_create(
        dataset=dataset, acting_user=portal_admin, portal_id="new1-0001"
    )
    assert publication.adopted


def test_a_portal_asset_has_one_publication(dataset, publisher_a, portal_admin, agency_a):
    owned("ocme-2018", agency_a)
    first = services.publication_create(
        dataset=dataset, acting_user=publisher_a, portal_id="ocme-2018"
    )

    for person in (publisher_a, portal_admin):
        with pytest.raises(ValidationError, match=f"publication {first.pk}"):
            services.publication_create(dataset=dataset, acting_user=person, portal_id="ocme-2018")


def test_the_api_refuses_an_adoption_with_the_reason(publisher_a, dataset, agency_b):
    owned("dph1-2345", agency_b)
    api = APIClient()
    api.force_authenticate(publisher_a)

    answer = api.post(
        "/api/v1/publications/",
        {"dataset": dataset.pk, "mode": "replace", "portal_id": "dph1-2345"},
        format="json",
    )

    assert answer.status_code == 400
    assert "belongs to Department of Beta" in answer.json()["portal_id"][0]


def test_the_sync_keeps_an_asset_with_the_publication_that_created_it(
    dataset, publisher_a, agency_b, ado_b
):
    from upkeep.sync import portal_claims

    creator = Publication.objects.create(
        dataset=ocme_dataset(agency_b), agency=agency_b, portal_id="dph1-2345", created_by=ado_b
    )
    # An adoption from before the gate (the incident of issue #15).
    Publication.objects.create(
        dataset=dataset, agency=dataset.agency, portal_id="dph1-2345", adopted=True,
        created_by=publisher_a,
    )  # fmt: skip

    assert portal_claims()["dph1-2345"].agency_id == creator.agency_id


def _seen_by_the_public(portal, asset: str) -> bool:
    """Read as the portal says it (a viewer grant flagged public), not through ctodp's helper."""
    grants = portal.get_metadata(asset).get("grants") or []
    return any("public" in (grant.get("flags") or []) for grant in grants)


def _public_asset(portal) -> str:
    view = portal.create_dataset("DPH asset", columns=SONG_COLUMNS, row_identifier="song_id")
    portal.publish(view["id"])
    portal.set_public(view["id"], True)
    return view["id"]


def test_a_push_never_makes_an_adopted_public_asset_private(
    portal, dataset, publisher_a, agency_a, django_capture_on_commit_callbacks
):
    asset = _public_asset(portal)
    owned(asset, agency_a)
    publication = services.publication_create(
        dataset=dataset,
        acting_user=publisher_a,
        kind=Kind.EXTERNAL,
        portal_id=asset,
        external_url="https://portal.ct.gov/ocme/data",
    )

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert _seen_by_the_public(portal, asset)


def test_rows_reach_an_adopted_public_asset_only_through_the_make_public_gate(
    portal, dataset, publisher_a, agency_a, django_capture_on_commit_callbacks
):
    asset = _public_asset(portal)
    owned(asset, agency_a)
    publication = services.publication_create(
        dataset=dataset, acting_user=publisher_a, portal_id=asset
    )
    songs = b"song_id,title,plays\ns1,Blue,3\ns2,Red,5\n"
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload("songs.csv", songs)
    )
    services.publication_confirm_columns(
        publication=publication, acting_user=publisher_a, row_identifier="song_id"
    )

    refused = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert refused.status == RunStatus.FAILED
    assert f"The portal asset {asset} is public" in refused.error
    assert portal.get_rows(asset) == []
    record_screen(publication)
    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert len(portal.get_rows(asset)) == 2
    assert _seen_by_the_public(portal, asset)


# --- 2. The inventory's access level and the approved access plan ----------------------------


@pytest.fixture
def closed(dataset):
    dataset.access_level = AccessLevel.NON_PUBLIC
    dataset.access_reason = "Contains protected health information (HIPAA)."
    dataset.save()
    return dataset


def _approved_plan(agency, dataset, *intents: str) -> AccessPlan:
    plan = AccessPlan.objects.create(
        agency=agency, year=dataset.inventory.year, inventory=dataset.inventory,
        status=PlanStatus.APPROVED,
    )  # fmt: skip
    for intent in intents:
        PlanItem.objects.create(plan=plan, dataset=dataset, intent=intent)
    return plan


def test_a_dataset_the_inventory_marks_non_public_is_never_pushed(closed, publisher_a):
    publication = ready_publication(closed, publisher_a)

    with pytest.raises(ValidationError, match="as Non-public; only public datasets"):
        services.run_start(publication=publication, acting_user=publisher_a)

    assert not publication.runs.exists()


def test_an_approved_plan_must_list_the_dataset(dataset, publisher_a, agency_a):
    publication = ready_publication(dataset, publisher_a)
    plan = _approved_plan(agency_a, dataset, Intent.NOT_PUBLISHABLE)

    with pytest.raises(ValidationError, match=r"approved 2026 access plan .* has no item"):
        services.run_start(publication=publication, acting_user=publisher_a)

    plan.items.update(intent=Intent.PUBLISH_NEW)
    assert services.run_start(publication=publication, acting_user=publisher_a)


def test_the_cdo_overrides_with_a_reason_and_the_history_keeps_it(closed, publisher_a, cdo):
    publication = ready_publication(closed, publisher_a)
    reason = "Court order 2026-17 requires publication of the aggregate counts."

    with pytest.raises(PermissionDenied):
        services.publication_override_access(
            publication=publication, reason=reason, acting_user=publisher_a
        )
    with pytest.raises(ValidationError, match="Say why"):
        services.publication_override_access(publication=publication, reason="ok", acting_user=cdo)
    services.publication_override_access(publication=publication, reason=reason, acting_user=cdo)

    assert services.run_start(publication=publication, acting_user=publisher_a)
    latest = publication.history.latest()
    assert (latest.history_user, latest.access_override_reason) == (cdo, reason)


def test_the_page_says_why_and_offers_the_cdo_the_override(client, closed, publisher_a, cdo):
    publication = ready_publication(closed, publisher_a)
    client.force_login(publisher_a)

    page = client.get(publication.get_absolute_url()).content.decode()
    answer = client.post(reverse("publishing:run_start", args=[publication.pk]), follow=True)

    assert "only public datasets are published" in page
    assert "Let it be published" not in page
    assert "only public datasets are published" in answer.content.decode()
    client.force_login(cdo)
    assert "Let it be published" in client.get(publication.get_absolute_url()).content.decode()
    url = reverse("publishing:access_override", args=[publication.pk])
    client.post(url, {"reason": "The legal basis was withdrawn in March 2026."})
    publication.refresh_from_db()
    assert publication.access_override_by == cdo


def test_the_api_refuses_the_push_with_the_reason_and_takes_the_override(closed, publisher_a, cdo):
    publication = ready_publication(closed, publisher_a)
    api = APIClient()
    api.force_authenticate(publisher_a)
    runs = f"/api/v1/publications/{publication.pk}/runs/"
    override = f"/api/v1/publications/{publication.pk}/access-override/"

    refused = api.post(runs)
    forbidden = api.post(override, {"reason": "Because I say so, really."}, format="json")

    assert refused.status_code == 400
    assert "only public datasets are published" in refused.json()["non_field_errors"][0]
    assert forbidden.status_code == 403
    api.force_authenticate(cdo)
    reason = "The legal basis was withdrawn in March 2026."
    answer = api.post(override, {"reason": reason}, format="json")
    assert (answer.status_code, answer.json()["access_override_reason"]) == (200, reason)
