"""Inventory notices (ADR 0019): submitted → the CDO and DAPA; accepted or returned → the ADO."""

import pytest
from django.core import mail

from inventories import services
from tests.factories import UserFactory
from tests.notice_mail import check, public_base, recipients, sent  # noqa: F401

pytestmark = pytest.mark.usefixtures("public_base")


@pytest.fixture
def submit(inventory_a, ado_a, django_capture_on_commit_callbacks):
    def submit():
        with django_capture_on_commit_callbacks(execute=True):
            services.inventory_submit(
                inventory=inventory_a,
                attested_name="Alice Adams",
                attestation="I attest.",
                acting_user=ado_a,
            )

    return submit


def test_a_submission_tells_the_cdo_and_dapa_what_happens_next(
    submit, cdo, dapa, ado_a, publisher_a
):
    UserFactory(username="gone", is_active=False)  # an inactive account is never written to
    submit()
    messages = sent("Inventory submitted")
    assert recipients(messages) == ["cdo@ct.example", "dapa@ct.example"]
    check(
        messages[0],
        subject="Inventory submitted: Department of Alpha 2026",
        line="Department of Alpha submitted its 2026 high-value data inventory (2 datasets), "
        "attested by Alice Adams.",
        path="/inventories/alpha/2026/",
    )
    assert "What happens next: the Chief Data Officer or a DAPA analyst reviews it" in (
        messages[0].body
    )


def test_acceptance_tells_the_ado_with_the_comment(
    submit, inventory_a, ado_a, publisher_a, cdo, django_capture_on_commit_callbacks
):
    submit()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.inventory_accept(inventory=inventory_a, comment="Well done.", acting_user=cdo)
    assert [m.to for m in mail.outbox] == [["alice@ct.example"]]
    check(
        mail.outbox[0],
        subject="Inventory accepted: Department of Alpha 2026",
        line="Comment: Well done.",
        path="/inventories/alpha/2026/",
    )


def test_a_return_tells_the_ado_every_comment(
    submit, inventory_a, ado_a, ado_b, cdo, django_capture_on_commit_callbacks
):
    submit()
    mail.outbox.clear()
    dataset = inventory_a.datasets.get(title="Licensed child care programs")
    with django_capture_on_commit_callbacks(execute=True):
        services.inventory_return(
            inventory=inventory_a,
            comment="Add the legal basis.",
            dataset_comments={dataset.pk: "Say how often it is updated."},
            acting_user=cdo,
        )
    assert [m.to for m in mail.outbox] == [["alice@ct.example"]]
    message = mail.outbox[0]
    check(
        message,
        subject="Inventory returned with comments: Department of Alpha 2026",
        line="Comment: Add the legal basis.",
        path="/inventories/alpha/2026/",
    )
    assert "Licensed child care programs: Say how often it is updated." in message.body
    assert "make the changes and submit the inventory again" in message.body
