"""Plan notices on the notice mechanism (ADR 0019): submission → the CDO; decision → the ADO."""

import pytest
from django.core import mail

from access_plans import services
from agencies.models import Notice
from tests.notice_mail import check, public_base, recipients  # noqa: F401

pytestmark = pytest.mark.usefixtures("public_base")


@pytest.fixture
def submitted(filled_plan_a, ado_a, cdo, dapa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    filled_plan_a.refresh_from_db()
    return filled_plan_a


def test_a_submission_reaches_the_cdo_as_text_and_html_and_is_recorded(submitted):
    assert recipients(mail.outbox) == ["cdo@ct.example"]
    check(
        mail.outbox[0],
        subject="Access plan submitted: Department of Alpha 2026 (version 1)",
        line="Department of Alpha submitted version 1 of its 2026 open data access plan",
        path="/plans/alpha/2026/",
    )
    notice = Notice.objects.get()
    assert (notice.kind, notice.agency, notice.email) == (
        "plan_submitted",
        submitted.agency,
        "cdo@ct.example",
    )


def test_a_request_for_changes_reaches_the_ado_with_the_comment(
    submitted, cdo, django_capture_on_commit_callbacks
):
    services.plan_start_review(plan=submitted, acting_user=cdo)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_request_changes(
            plan=submitted, comment="Aggregate by county instead.", acting_user=cdo
        )
    assert recipients(mail.outbox) == ["alice@ct.example"]
    check(
        mail.outbox[0],
        subject="Access plan changes requested: Department of Alpha 2026",
        line="Comment: Aggregate by county instead.",
        path="/plans/alpha/2026/",
    )
    assert "change the plan as the comments ask and submit it again" in mail.outbox[0].body


def test_an_approval_tells_the_ado_what_happens_next(
    submitted, cdo, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_approve(plan=submitted, acting_user=cdo)
    assert recipients(mail.outbox) == ["alice@ct.example"]
    check(
        mail.outbox[0],
        subject="Access plan approved: Department of Alpha 2026",
        line="What happens next: publishers can publish the datasets the plan lists.",
        path="/plans/alpha/2026/",
    )


@pytest.mark.parametrize(
    ("recommendation", "subject", "line"),
    [
        (
            "request_changes",
            "DAPA recommends: request changes — Department of Alpha 2026 access plan",
            'recommends "request changes" for version 1',
        ),
        ("", "DAPA commented — Department of Alpha 2026 access plan", "commented on version 1"),
    ],
)
def test_a_dapa_recommendation_reaches_the_cdo_who_decides(
    submitted, dapa, django_capture_on_commit_callbacks, recommendation, subject, line
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_recommend(
            plan=submitted,
            recommendation=recommendation,
            text="Item 3 lacks a target date.",
            acting_user=dapa,
        )
    assert recipients(mail.outbox) == ["cdo@ct.example"]
    check(mail.outbox[0], subject=subject, line=line, path="/plans/alpha/2026/review/")
    assert "Item 3 lacks a target date." in mail.outbox[0].body
    assert "What happens next: you decide" in mail.outbox[0].body
    assert Notice.objects.filter(kind="plan_recommended").count() == 1
