"""The deployment's own health: docker-compose.yml's healthchecks (parsed: no Docker engine
here), the commands they run, and gunicorn's settings from the environment."""

import asyncio
import gc
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from asgiref.sync import sync_to_async
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from scripts import healthcheck
from tests.operations.test_health import beat_sent

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def probe(compose: dict, service: str) -> list[str]:
    test = compose["services"][service]["healthcheck"]["test"]
    # Compose turns $$ into $ before the shell sees it.
    return shlex.split(test[1].replace("$$", "$")) if test[0] == "CMD-SHELL" else test[1:]


@pytest.mark.parametrize("service", ["web", "worker", "beat", "postgres", "redis"])
def test_every_long_running_service_has_a_healthcheck(compose, service):
    check = compose["services"][service]["healthcheck"]
    assert check["test"][0] in {"CMD", "CMD-SHELL"}
    assert "retries" in check


def test_the_web_probe_asks_liveness_through_the_script(compose):
    assert probe(compose, "web") == ["python", "scripts/healthcheck.py"]
    assert "gunicorn.conf.py" in compose["services"]["web"]["command"]


def test_the_worker_probe_pings_this_worker_through_the_broker(compose):
    command = probe(compose, "worker")
    assert command[:5] == ["celery", "-A", "ctodp", "inspect", "ping"]
    assert command[command.index("--destination") + 1] == "celery@$HOSTNAME"


def test_the_beat_probe_is_the_beat_readiness_check(compose):
    command = probe(compose, "beat")
    assert command[:4] == ["python", "manage.py", "health_check", "health-beat"]
    assert reverse(command[3]) == "/health/beat/"


@pytest.mark.parametrize(("sent_ago", "exit_code"), [(30, 0), (600, 1)])
def test_the_beat_probe_command_exits_by_the_heartbeat_age(
    transactional_db, settings, capsys, sent_ago, exit_code
):
    settings.CTODP_BEAT_STALE_AFTER = 180
    beat_sent(timezone.now() - timezone.timedelta(seconds=sent_ago))

    with pytest.raises(SystemExit) as ended:
        call_command("health_check", "health-beat", "--no-http")
    # The check queried from asgiref's one thread for sync code: close that thread's connection.
    asyncio.run(sync_to_async(connections.close_all)())

    assert ended.value.code == exit_code
    assert "BeatHeartbeat()" in capsys.readouterr().out


def test_the_web_probe_script_passes_on_a_live_server(live_server, monkeypatch, settings):
    port = live_server.url.rsplit(":", 1)[1]
    monkeypatch.setenv("PORT", port)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

    assert healthcheck.main() == 0


def test_the_web_probe_script_fails_when_nothing_answers(monkeypatch):
    monkeypatch.setenv("PORT", "9")  # the discard port: nothing listens

    assert healthcheck.main() == 1


def test_gunicorn_reads_workers_and_timeouts_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prom"))
    monkeypatch.setenv("GUNICORN_WORKERS", "7")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "120")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert (config["workers"], config["timeout"], config["bind"]) == (7, 120, "0.0.0.0:9000")
    stale = tmp_path / "prom" / "counter_123.db"
    stale.parent.mkdir()
    stale.write_bytes(b"from a previous start")
    config["on_starting"](None)
    assert list((tmp_path / "prom").iterdir()) == []


def test_gunicorn_defaults_without_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    for name in ("GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert (config["workers"], config["timeout"], config["bind"]) == (3, 60, "0.0.0.0:8000")


def test_the_image_compiles_ctodp_bytecode_once_since_no_process_may_write_it(tmp_path):
    # PYTHONDONTWRITEBYTECODE=1 in the image: without the build's compileall every process (each
    # worker, each `manage.py privacy_scan`) would compile ctodp's modules as it starts.
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "PYTHONDONTWRITEBYTECODE=1" in dockerfile
    step = next(line for line in dockerfile.splitlines() if "compileall" in line)
    command = shlex.split(step.strip().removeprefix("&&").removesuffix("\\"))
    assert command[:3] == ["python", "-m", "compileall"]
    for folder in ("privacy/engine", "tests/privacy"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "module.py").write_text("VALUE = 1\n", encoding="utf-8")

    subprocess.run([sys.executable, *command[1:]], cwd=tmp_path, check=True)

    assert list((tmp_path / "privacy/engine/__pycache__").glob("module.*.pyc"))
    assert not (tmp_path / "tests/privacy/__pycache__").exists()  # tests are not shipped work


def test_each_gunicorn_worker_freezes_the_loaded_app_out_of_the_collectors_sight(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        config["post_worker_init"](None)  # what gunicorn calls once a worker has loaded the app

        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
