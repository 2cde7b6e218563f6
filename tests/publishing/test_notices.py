"""Publication notices (ADR 0019): the publisher is told what happens next when a publication
is created, and the agency when it is made public."""

import pytest
from django.core import mail

from publishing import services
from tests.notice_mail import check, public_base, recipients  # noqa: F401
from tests.publishing.helpers import ocme_dataset, ready_publication, record_screen

pytestmark = pytest.mark.usefixtures("public_base")

TITLE = "Accidental Drug Related Deaths 2012-2018"


def test_a_new_publication_tells_its_publishers_the_next_steps(
    agency_a, publisher_a, ado_a, ado_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.publication_create(
            dataset=ocme_dataset(agency_a), acting_user=publisher_a, row_identifier="id"
        )
    assert recipients(mail.outbox) == ["bob@ct.example"]
    message = mail.outbox[0]
    check(
        message,
        subject=f"Publication created: {TITLE}",
        line="Run the privacy screen of the source; a high risk needs aggregation or an "
        "exception the CDO approves.",
        path=f"/publishing/{publication.pk}/",
    )
    assert "4. The CDO or a portal administrator makes it public" in message.body


def test_making_it_public_tells_the_publishers_and_the_ado(
    portal_settings, sandbox, agency_a, publisher_a, ado_a, cdo, django_capture_on_commit_callbacks
):
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_start(publication=publication, acting_user=publisher_a)
    publication.refresh_from_db()
    record_screen(publication)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_make_public(publication=publication, acting_user=cdo)
    assert recipients(mail.outbox) == ["alice@ct.example", "bob@ct.example"]
    check(
        mail.outbox[0],
        subject=f"Publication made public: {TITLE}",
        line=f"public on the portal ({publication.portal_id}).",
        path=f"/publishing/{publication.pk}/",
    )


def test_a_failed_run_tells_the_publishers_and_the_ado_at_once_and_only_once(
    portal_settings,
    sandbox,
    agency_a,
    publisher_a,
    ado_a,
    ado_b,
    django_capture_on_commit_callbacks,
):
    from publishing import runner
    from publishing.models import RunStatus
    from tests.sandbox import inject

    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    inject(sandbox, status=400, count=100, path_prefix="/resource/", method="POST")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.run_start(publication=publication, acting_user=publisher_a)
    run = publication.runs.get()
    assert run.status == RunStatus.FAILED

    assert recipients(mail.outbox) == ["alice@ct.example", "bob@ct.example"]  # not agency B's
    check(
        mail.outbox[0],
        subject=f"Publication run failed: {TITLE}",
        line=f'Run {run.pk} of "{TITLE}" (Department of Alpha) failed after 1 attempt.',
        path=f"/publishing/{publication.pk}/",
    )
    assert f"Why: {run.error}" in mail.outbox[0].body
    assert "publish again from the publication's page" in mail.outbox[0].body

    mail.outbox.clear()
    assert not runner.finish(run.pk, RunStatus.FAILED, "again", active=True)
    assert mail.outbox == []
