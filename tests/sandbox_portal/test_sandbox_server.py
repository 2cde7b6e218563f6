"""The sandbox as a server: `python -m sandbox_portal`, persistence, concurrency, hostile input."""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sodapy import Socrata

from sandbox_portal import RunningSandbox, start_sandbox
from tests.sandbox import SONG_COLUMNS, USERNAME, connect, control

ROOT = Path(__file__).resolve().parents[2]


def test_the_program_serves_on_a_free_port_with_env_credentials(tmp_path: Path):
    env = {**os.environ, "SOCRATA_USERNAME": "cmd-user", "SOCRATA_PASSWORD": "cmd-pass"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # a program of its own: no Django settings needed
    command = [
        sys.executable,
        "-m",
        "sandbox_portal",
        "--port",
        "0",
        "--data",
        str(tmp_path),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://(127\.0\.0\.1:\d+)/", line)
        assert match, line
        with connect(match.group(1), "cmd-user", "cmd-pass") as client:
            view = client.create("From the command", columns=SONG_COLUMNS)
        assert view["publicationStage"] == "unpublished"
        assert (tmp_path / "sandbox-portal.sqlite3").exists()
        url = f"http://{match.group(1)}/api/catalog/v1"
        wrong = requests.get(url, auth=("sandbox", "sandbox"), timeout=5)
        assert wrong.status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_data_directory_survives_a_restart(tmp_path: Path):
    first = start_sandbox(data_dir=tmp_path)
    with connect(first.domain, "sandbox", "sandbox") as client:
        view = client.create("Kept", columns=SONG_COLUMNS, row_identifier="song_id")
        client.upsert(view["id"], [{"song_id": "a"}])
    first.stop()

    second = start_sandbox(data_dir=tmp_path)
    try:
        with connect(second.domain, "sandbox", "sandbox") as client:
            assert client.get_metadata(view["id"])["name"] == "Kept"
            assert client.get(view["id"]) == [{"song_id": "a"}]
    finally:
        second.stop()


def test_concurrent_upserts_lose_and_duplicate_nothing(sandbox: RunningSandbox, songs: str):
    def load(worker: int) -> int:
        with connect(sandbox.domain, "sandbox-user", "sandbox-secret") as client:
            created = 0
            for batch in range(5):
                rows = [{"song_id": f"w{worker}-{batch}-{n}"} for n in range(50)]
                # Every worker also rewrites one shared row: it must stay a single row.
                rows.append({"song_id": "shared", "title": f"w{worker}"})
                created += client.upsert(songs, rows)["Rows Created"]
            return created

    with ThreadPoolExecutor(max_workers=4) as pool:
        created = sum(pool.map(load, range(4)))

    with connect(sandbox.domain, "sandbox-user", "sandbox-secret") as client:
        rows = client.get(songs, limit=5000)
    assert len(rows) == 4 * 5 * 50 + 1
    assert created == len(rows)
    assert len({row["song_id"] for row in rows}) == len(rows)


@pytest.mark.parametrize(
    "where",
    [
        "title = 'x'); DELETE FROM rows; --",
        "title = 'x' UNION SELECT 1",
        "title = 'x')",
        "(title = ",
    ],
)
def test_hostile_where_clauses_are_refused(soda: Socrata, songs: str, where: str):
    soda.upsert(songs, [{"song_id": "a", "title": "it's"}])

    with pytest.raises(requests.HTTPError, match="400 Client Error"):
        soda.get(songs, where=where)

    assert soda.get(songs) == [{"song_id": "a", "title": "it's"}]


def test_quotes_inside_literals_are_data(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": "a", "title": "it's"}, {"song_id": "b", "title": "its"}])

    assert soda.get(songs, where="title = 'it''s'") == [{"song_id": "a", "title": "it's"}]


@pytest.mark.parametrize(
    ("method", "name"),
    [("POST", "faults"), ("GET", "requests"), ("POST", "reset"), ("POST", "assets/abcd-1234")],
)
def test_the_controls_refuse_anyone_without_the_sandbox_credentials(sandbox, method, name):
    url = f"{sandbox.url}/__sandbox__/{name}"
    nobody = requests.request(method, url, json={"status": 500}, timeout=5)
    wrong = requests.request(method, url, json={"status": 500}, auth=(USERNAME, "no"), timeout=5)

    assert (nobody.status_code, wrong.status_code) == (401, 401)
    assert sandbox.server.faults.pending() == []


def test_the_controls_answer_the_sandbox_credentials(sandbox):
    assert control(sandbox, "POST", "faults", json={"status": 500}).status_code == 200
    assert len(sandbox.server.faults.pending()) == 1


def test_the_program_refuses_to_serve_under_production_settings(tmp_path: Path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ctodp.settings.production"}
    command = [sys.executable, "-m", "sandbox_portal", "--port", "0", "--data", str(tmp_path)]

    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)

    assert result.returncode != 0
    assert "Refusing to serve" in result.stderr
    assert "--allow-production-settings" in result.stderr
    assert not (tmp_path / "sandbox-portal.sqlite3").exists()
