"""Structured logs (ADR 0024): one JSON object a line with the request id, the task id and the
agency where known; X-Request-ID accepted when it looks like an id, echoed back."""

import io
import json
import logging
import logging.config
import re

import pytest
from celery import current_app

from ctodp.settings.operations import logging_config
from operations.logs import ContextFilter, JsonFormatter, clean_request_id
from publishing.models import PublicationRun, RunStatus
from tests.publishing.helpers import ocme_dataset, ready_publication

FIELDS = {"time", "level", "logger", "message", "request_id", "task_id", "agency"}


@pytest.fixture
def log_lines():
    """Every record of the test, as the JSON handler of production writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


def test_production_settings_log_one_json_object_a_line():
    config = logging_config("json", "INFO")  # what production.py installs
    stream = io.StringIO()
    config["handlers"]["console"]["stream"] = stream
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logging.config.dictConfig(config)
    try:
        logging.getLogger("publishing.outbox").warning("run %s not sent", 7)
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])

    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert set(record) == FIELDS
    assert (record["level"], record["logger"], record["message"]) == (
        "WARNING",
        "publishing.outbox",
        "run 7 not sent",
    )
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00$", record["time"])


def test_a_request_gets_an_id_that_tags_its_logs_and_comes_back(client, log_lines, ado_a):
    client.force_login(ado_a)

    response = client.get("/agencies/gamma/")  # no such agency: Django logs the 404

    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert (line["request_id"], line["agency"]) == (request_id, "gamma")
    logging.getLogger("check").info("after the request")
    assert log_lines()[-1]["request_id"] == ""  # the id does not leak into later work


def test_a_proxys_request_id_is_kept_and_written_on_every_line(client, log_lines, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="lb-1f2e3d.42")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-1f2e3d.42"
    warnings = [line for line in log_lines() if line["logger"] == "django.request"]
    assert warnings
    assert {line["request_id"] for line in warnings} == {"lb-1f2e3d.42"}


@pytest.mark.parametrize(
    "given", ["", "x" * 129, "two words", 'quo"te', "line\nbreak", "ünïcode", "-leading-dash"]
)
def test_an_implausible_request_id_is_replaced(given):
    assert re.fullmatch(r"[0-9a-f]{32}", clean_request_id(given))


def test_a_task_tags_its_logs_with_its_id_and_its_agency(
    portal_settings, agency_a, publisher_a, log_lines
):
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    run = PublicationRun.objects.create(publication=publication, status=RunStatus.SUCCEEDED)

    result = current_app.tasks["publishing.execute_run"].apply(args=(run.pk,))

    [line] = [line for line in log_lines() if "not queued any more" in line["message"]]
    assert line["task_id"] == result.id
    assert line["agency"] == "alpha"
    logging.getLogger("check").info("after the task")
    assert (log_lines()[-1]["task_id"], log_lines()[-1]["agency"]) == ("", "")
