"""`manage.py publish <id> [--wait]` (transactional: the task is sent when the run commits)."""

import pytest
from django.core.management import CommandError, call_command

from publishing.models import PublicationRun, RunStatus
from tests.publishing.helpers import ocme_dataset, ready_publication
from tests.sandbox import inject

pytestmark = pytest.mark.django_db(transaction=True)


def test_publish_waits_and_prints_progress(portal_settings, sandbox, agency_a, publisher_a, capsys):
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)

    call_command("publish", str(publication.pk), "--wait", "--interval", "0.05")

    out = capsys.readouterr().out
    assert "queued" in out
    assert "succeeded 100% (1/1 chunks, 300 created, 0 updated, 0 deleted, 0 unknown)" in out
    assert PublicationRun.objects.get().status == RunStatus.SUCCEEDED


def test_publish_exits_non_zero_when_the_run_fails(portal_settings, sandbox, agency_a, publisher_a):
    portal_settings.SOCRATA_RETRIES = 0
    portal_settings.CTODP_RUN_MAX_ATTEMPTS = 1
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    inject(sandbox, status=403, path_prefix="/api/views", message="Not allowed to create")

    with pytest.raises(CommandError, match=r"failed: .*HTTP 403"):
        call_command("publish", str(publication.pk), "--wait", "--interval", "0.05")


def test_publish_refuses_a_publication_that_is_not_ready(agency_a, publisher_a):
    from publishing import services

    publication = services.publication_create(
        dataset=ocme_dataset(agency_a), acting_user=publisher_a
    )
    with pytest.raises(CommandError, match="Attach a source"):
        call_command("publish", str(publication.pk))
