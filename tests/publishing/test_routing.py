"""Per-agency task queues (ADR 0024): the tasks that read an agency's sources go to its queue
when CTODP_AGENCY_QUEUES names one; every other task, and other agencies, use the default.
With a real Redis: tests/integration/test_operations.py."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ctodp.settings.operations import agency_queues
from privacy.models import PrivacyScreen, SuppressionJob
from publishing import routing
from publishing.models import PublicationRun, SourceCheck
from tests.publishing.helpers import ocme_dataset, ready_publication


@pytest.fixture
def publications(portal_settings, agency_a, agency_b, publisher_a, ado_b):
    return (
        ready_publication(ocme_dataset(agency_a), publisher_a),
        ready_publication(ocme_dataset(agency_b), ado_b),
    )


@pytest.fixture
def alpha_queue(settings):
    settings.CTODP_AGENCY_QUEUES = {"alpha": "alpha-net"}


def test_the_setting_maps_agency_slugs_to_queues():
    assert agency_queues(" ocme:ocme-net, dph:dph-net ,") == {"ocme": "ocme-net", "dph": "dph-net"}
    assert agency_queues("") == {}


@pytest.mark.parametrize("raw", ["ocme", "ocme:", ":ocme-net", "ocme:net,dph"])
def test_a_malformed_mapping_is_refused_naming_the_piece(raw):
    with pytest.raises(ImproperlyConfigured, match="is not agency:queue"):
        agency_queues(raw)


def test_a_run_goes_to_its_agencys_queue(alpha_queue, publications):
    ours, theirs = publications
    run_a = PublicationRun.objects.create(publication=ours)
    run_b = PublicationRun.objects.create(publication=theirs)

    assert routing.queue_for("publishing.execute_run", (run_a.pk,)) == "alpha-net"
    assert routing.queue_for("publishing.execute_run", (run_b.pk,)) is None


def test_every_task_that_reads_a_source_follows_the_agency(alpha_queue, publications):
    ours, _ = publications
    check = SourceCheck.objects.create(publication=ours)
    screen = PrivacyScreen.objects.create(publication=ours)
    job = SuppressionJob.objects.create(publication=ours, by=["Sex"])

    assert routing.queue_for("publishing.check_source", (check.pk,)) == "alpha-net"
    assert routing.queue_for("publishing.screen_publication", (screen.pk,)) == "alpha-net"
    assert routing.queue_for("publishing.suppress_publication", (job.pk,)) == "alpha-net"


def test_program_wide_tasks_stay_on_the_default_queue(alpha_queue, publications):
    assert routing.queue_for("publishing.sync_portal", ()) is None
    assert routing.queue_for("publishing.sweep_stuck_runs", ()) is None


def test_without_agency_queues_no_lookup_is_made(settings, publications, django_assert_num_queries):
    settings.CTODP_AGENCY_QUEUES = {}
    run = PublicationRun.objects.create(publication=publications[0])

    with django_assert_num_queries(0):
        assert routing.queue_for("publishing.execute_run", (run.pk,)) is None
