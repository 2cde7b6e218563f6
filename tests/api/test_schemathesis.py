"""schemathesis over the whole API, from the schema the app publishes.

Every operation is called with generated inputs, valid and invalid, authenticated by an API token
of the DAPA analyst (program staff: every agency's records are visible, so lists have rows), over
a small world of records. A response fails if it is a server error, if its status code or content
type is not documented for the operation, or if its body does not match the documented schema.

No operation is excluded: the analyst may read everything and write little (review an inventory,
recommend on a plan, designate an ADO; each case is rolled back), so most writes answer
400/403/404 as documented, and none reaches the portal.

schemathesis' own pytest integration (`schemathesis.pytest.from_fixture`) does not run under
pytest 9 (it reads a private node attribute that is gone), so this test drives each operation's
Hypothesis strategy itself: one test, every operation, every failure listed at the end.
"""

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from access_plans.models import AccessPlan
from accounts.services import token_create
from inventories.models import Dataset, Inventory
from privacy.models import PrivacyScreen, SuppressionJob
from program.models import DataRequest
from publishing.models import Publication, PublicationRun, ScheduleKind, SourceCheck
from publishing.schedules import services as schedule_services
from sharing.models import Agreement
from tests.factories import AgencyFactory
from tests.program.conftest import build_world
from tests.sharing.factories import AgreementFactory
from upkeep.models import Retirement

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Bounded for a 2-core machine: this many generated cases per operation and mode, derandomized
# (the same cases every run), not shrunk (a failure's reproduction is printed as it is).
EXAMPLES = 10
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app():
    """The real WSGI handler, called in-process inside the test's transaction. Like Django's
    test client, it must not close the database connection around each request (that would end
    the test's transaction on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app, db, agency_a, agency_b, ado_a, ado_b, dapa):
    build_world(agency_a, agency_b, ado_a)
    bridges = Publication.objects.get(dataset__title="Bridges")
    schedule_services.schedule_set(
        publication=bridges, acting_user=ado_a, kind=ScheduleKind.WEEKLY, weekday=0
    )
    check = SourceCheck.objects.create(publication=bridges, status="succeeded", columns_found=3)
    Publication.objects.filter(pk=bridges.pk).update(source_check=check)  # read by a worker
    DataRequest.objects.create(
        agency=agency_a,
        requester_type="media",
        summary="Bridge inspections",
        received_on="2026-01-05",
        due_date="2026-01-20",
    )
    # Data sharing (ADR 0026): Bridges used by two other agencies, so core-datasets has a row.
    AgreementFactory(parties=[agency_a, agency_b], datasets=[bridges.dataset], with_opm=True)
    AgreementFactory(parties=[agency_a, AgencyFactory()], datasets=[bridges.dataset])
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)


def _failures(operation, mode: GenerationMode, headers: dict) -> list[str]:
    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        # Each case in a savepoint: its writes, or a database error, do not reach the next one.
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        finally:
            transaction.savepoint_rollback(savepoint)

    try:
        run()
    except (Exception, BaseExceptionGroup) as error:  # every failing operation is reported
        return [f"{operation.label} ({mode.value}): {error}"]
    return []


def test_every_operation_conforms_to_the_schema(api_schema, dapa):
    headers = {"Authorization": f"Bearer {token_create(user=dapa, name='schemathesis')[1]}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 15
    failures = [
        failure
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for failure in _failures(operation, mode, headers)
    ]
    assert not failures, "\n\n".join(failures)


def _real_ids() -> dict[str, int]:
    """An existing record for each detail path (random ids seldom hit one)."""
    return {
        "datasets": Dataset.objects.filter(title="Bridges").get().pk,
        "inventories": Inventory.objects.filter(agency__slug="alpha").get().pk,
        "plans": AccessPlan.objects.get().pk,
        "plan-items": AccessPlan.objects.get().items.first().pk,
        "publications": Publication.objects.filter(dataset__title="Bridges").get().pk,
        "runs": PublicationRun.objects.filter(publication__dataset__title="Bridges").get().pk,
        "aggregations": SuppressionJob.objects.create(
            publication=Publication.objects.filter(dataset__title="Bridges").get(),
            by=["County"],
            status="succeeded",
            result={"by": ["County"], "value": "count", "threshold": 5, "cells": 0, "rows": []},
        ).pk,
        "agreements": Agreement.objects.filter(with_opm=True).get().pk,
        **_workflow_ids(),
    }


def _workflow_ids() -> dict[str, int]:
    """Records of the workflow endpoints (issue #19): a screen, a retirement, a data request."""
    bridges = Publication.objects.filter(dataset__title="Bridges").get()
    screen = PrivacyScreen.objects.create(publication=bridges, status="succeeded", verdict="high")
    retirement = Retirement.objects.create(
        publication=bridges,
        agency=bridges.agency,
        criterion="outdated",
        reason="Replaced.",
        started_by=bridges.created_by or User.objects.first(),
    )
    return {
        "privacy-screens": screen.pk,
        "retirements": retirement.pk,
        "data-requests": DataRequest.objects.first().pk,
    }


def test_every_read_of_real_records_conforms(api_schema, dapa):
    """Each GET with path parameters, on a record that exists: the full body is validated."""
    headers = {"Authorization": f"Bearer {token_create(user=dapa, name='schemathesis')[1]}"}
    ids = _real_ids()
    reads = [
        operation
        for operation in (result.ok() for result in api_schema.get_all_operations())
        if operation.method.upper() == "GET" and "{" in operation.path
    ]
    assert len(reads) >= 7
    for operation in reads:
        collection = operation.path.removeprefix("/api/v1/").split("/")[0]
        parameters = {"id": ids.get(collection), "slug": "alpha"}
        names = [parameter.name for parameter in operation.path_parameters]
        case = operation.Case(path_parameters={name: parameters[name] for name in names})
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == 200, operation.label
