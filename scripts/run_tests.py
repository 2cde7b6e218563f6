"""`make test`: start throwaway PostgreSQL and Redis servers when their binaries are here, run the
whole suite against them, and say exactly which groups were skipped and why.

With CTODP_REQUIRE_SERVICES=1 a missing service fails the run instead of skipping its groups.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRE = os.environ.get("CTODP_REQUIRE_SERVICES") == "1"
# The guard against time bombs (issue #12): after the whole suite, run it again with the clock
# moved this many days forward (tests/clock.py), except the groups whose other processes
# (Chromium, the Celery worker, the OpenID provider) keep the real clock. 0 turns it off.
SHIFT_DAYS = int(os.environ.get("CTODP_SHIFT_CLOCK_PASS_DAYS", "400"))
SHIFTED_PASS = [
    "tests",
    "-m",
    "not browser and not integration and not oidc",
    "-p",
    "no:cacheprovider",
]
CHROMIUM = os.environ.get("CTODP_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_pg_bindir() -> Path | None:
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _as_postgres_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root, so drop to the `postgres` account.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextlib.contextmanager
def postgres(bindir: Path):
    workdir = Path(tempfile.mkdtemp(prefix="ctodp-pg-"))
    data, sockets = workdir / "data", workdir / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    subprocess.run(
        _as_postgres_user(
            [str(bindir / "initdb"), "-D", str(data), "-U", "ctodp", "-A", "trust", "--no-sync"]
        ),
        check=True,
        **quiet,
    )
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    log = workdir / "postgres.log"
    subprocess.run(
        _as_postgres_user(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
        ),
        check=True,
        **quiet,
    )
    try:
        yield f"postgres://ctodp@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            **quiet,
        )
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def redis(binary: str):
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            break
        time.sleep(0.1)
    try:
        # The binary's path travels with the URL so crash tests can restart the same server.
        os.environ["CTODP_REDIS_SERVER"] = binary
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str]) -> int:
    pg_bindir = find_pg_bindir()
    redis_binary = shutil.which("redis-server")
    has_chromium = Path(CHROMIUM).exists()
    missing = []
    if pg_bindir is None:
        missing.append("PostgreSQL server binaries (initdb, pg_ctl): tests run on SQLite")
    if redis_binary is None:
        missing.append("redis-server: the integration group (a real Celery worker) is skipped")
    if not has_chromium:
        missing.append(f"Chromium at {CHROMIUM}: the browser group is skipped")
    if missing and REQUIRE:
        print("CTODP_REQUIRE_SERVICES=1 but these are missing:", *missing, sep="\n  - ")
        return 2
    for line in missing:
        print(f"[make test] missing {line}")

    env_updates = {"DJANGO_SETTINGS_MODULE": "ctodp.settings.test"}
    if has_chromium:
        env_updates["CTODP_CHROMIUM"] = CHROMIUM
    with contextlib.ExitStack() as stack:
        if pg_bindir is not None:
            env_updates["DATABASE_URL"] = stack.enter_context(postgres(pg_bindir))
            print(f"[make test] PostgreSQL: {env_updates['DATABASE_URL']}")
        if redis_binary is not None:
            env_updates["REDIS_URL"] = stack.enter_context(redis(redis_binary))
            print(f"[make test] Redis: {env_updates['REDIS_URL']}")
        os.environ.update(env_updates)
        cmd = [sys.executable, "-m", "pytest", *argv]
        returncode = subprocess.run(cmd, cwd=ROOT, check=False).returncode
        # Only the plain `make test` (no ARGS) adds the shifted pass: ARGS picks tests by hand.
        if returncode == 0 and not argv and SHIFT_DAYS:
            print(f"[make test] second pass: the clock moved {SHIFT_DAYS} days forward")
            cmd = [sys.executable, "-m", "pytest", f"--shift-clock={SHIFT_DAYS}", *SHIFTED_PASS]
            returncode = subprocess.run(cmd, cwd=ROOT, check=False).returncode
    for line in missing:
        print(f"[make test] skipped because of missing {line}")
    return returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
