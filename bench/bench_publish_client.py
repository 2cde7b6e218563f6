"""The publishing client's own cost: a whole run against a trivial, fast HTTP sink, against POSTing
the same bytes with plain `requests`, and the run's peak memory at each size.

    .venv/bin/python bench/bench_publish_client.py [--rows 100000,1000000] [--chunk 10000]

For each size, one child process (so its peak RSS is its own) sets Django up on a throwaway
SQLite database and:
  * ctodp: a Publication with the CSV as its uploaded source, columns confirmed with `id` as row
    identifier, `run_start` with eager tasks: the one pass over the file (header, every value
    against its type, row identifiers, content hash, bodies spooled), asset creation, the chunked
    upsert through PortalClient/sodapy's session with the run's counters per chunk, metadata,
    publish. Timed from `run_start` to its return.
  * baseline: the same bodies (built beforehand, untimed, by the same function) POSTed one by
    one with a plain `requests` session to the same sink: the wire time.
The sink (another process, `http.server` with HTTP/1.1 keep-alive) reads each body and answers a
fixed write report, so the portal's own work is out of the picture. The client's share is
`ctodp - baseline`, printed per 100,000 rows in wall and in CPU seconds (the honest figure on a
loaded machine: the run's wall time is mostly database commits and waiting for a core), with the
one pass over the file timed alone (read, checks, hash, bodies); `ctodp / baseline` is the
ratio. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from publish_upsert import HEADER, make_csv  # noqa: E402

ANSWER = json.dumps(
    {"id": "bnch-0001", "Rows Created": 0, "Rows Updated": 0, "Rows Deleted": 0, "Errors": 0}
).encode()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # http.server sends the headers and the body of an answer in two writes; with Nagle's
    # algorithm the second waits for the client's delayed ACK of the first, some 40 ms, on
    # every answer. A fast server (nginx's tcp_nodelay, gunicorn) sends at once.
    disable_nagle_algorithm = True

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        while length:
            length -= len(self.rfile.read(min(length, 1 << 20)))
        # A query (the reconciliation's `count(*)` after the push) gets an empty page, a write
        # the fixed report.
        answer = b"[]" if self.command == "GET" and "?" in self.path else ANSWER
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer  # noqa: N815  http.server's names

    def log_message(self, *args: object) -> None:
        pass


def serve() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    print(f"127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: Path, domain: str, chunk: int) -> dict:
    import publish_upsert
    import requests

    publish_upsert.CHUNK = chunk
    cpu = [0.0]
    setup = publish_upsert._django

    def django_then_timer(*args: object) -> None:
        setup(*args)
        # What a worker process does once it has started (ctodp/celery.py), before its first run.
        from celery import current_app

        from ctodp.celery import freeze_startup_objects

        freeze_startup_objects()
        # A worker that has run a task before: Celery's and kombu's lazily built parts (some
        # 20 ms, once a process) are not charged to the run measured.
        current_app.signature("ctodp.ping").apply_async()
        _time_run_start(cpu)

    publish_upsert._django = django_then_timer
    ours = publish_upsert.child_publish(path, domain, tempfile.mkdtemp(prefix="ctodp-bench-"))
    after_run = peak_mb()

    from publishing import payload
    from publishing.models import Publication

    publication = Publication.objects.get()
    session = requests.Session()
    wire = wire_cpu = 0.0
    with payload.Spool() as spool:  # the very bytes the run sent, then POSTed one by one
        before, before_cpu = time.perf_counter(), time.process_time()
        payload.survey(publication, {}, chunk, spool, row_identifier="id")
        one_pass = time.perf_counter() - before
        pass_cpu = time.process_time() - before_cpu
        for _rows, data in spool.bodies():
            before, before_cpu = time.perf_counter(), time.process_time()
            answer = session.post(f"http://{domain}/resource/bnch-0001.json", data=data)
            answer.raise_for_status()
            wire += time.perf_counter() - before
            wire_cpu += time.process_time() - before_cpu
    return {
        **ours,
        "run_cpu": cpu[0],
        "wire_seconds": wire,
        "wire_cpu": wire_cpu,
        "pass_seconds": one_pass,
        "pass_cpu": pass_cpu,
        "peak_mb_after_run": after_run,
    }


def _time_run_start(spent: list[float]) -> None:
    """Keep in `spent` the CPU seconds of `run_start` (eager tasks: the whole run, in this
    process), which load inflates far less than wall time."""
    from publishing import services

    real = services.run_start

    def timed(**kwargs: object) -> object:
        before = time.process_time()
        try:
            return real(**kwargs)
        finally:
            spent[0] = time.process_time() - before

    services.run_start = timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="100000,1000000")
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--child", nargs=2, metavar=("PATH", "DOMAIN"))
    parser.add_argument("--sink", action="store_true")
    args = parser.parse_args()
    if args.sink:
        return serve()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.child[1], args.chunk)))
        return None
    sink = subprocess.Popen([sys.executable, __file__, "--sink"], stdout=subprocess.PIPE, text=True)
    domain = sink.stdout.readline().strip()
    try:
        with tempfile.TemporaryDirectory(prefix="ctodp-bench-client-") as tmp:
            for rows in (int(n) for n in args.rows.split(",")):
                measure(Path(tmp) / f"rows-{rows}.csv", rows, domain, args.chunk)
    finally:
        sink.terminate()
        sink.wait(timeout=10)


def measure(path: Path, rows: int, domain: str, chunk: int) -> None:
    make_csv(path, rows)
    load = os.getloadavg()[0]
    command = [sys.executable, __file__, "--child", str(path), domain, "--chunk", str(chunk)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ctodp.settings.test", "CTODP_TASKS_EAGER": "1"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"child failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    run, wire = result["wall_seconds"], result["wire_seconds"]
    per = 100_000 / rows
    run_cpu, wire_cpu = result["run_cpu"], result["wire_cpu"]
    print(
        f"{rows:>9,} rows x {len(HEADER)} columns ({path.stat().st_size / 1e6:.0f} MB CSV) | "
        f"ctodp run {run:6.2f} s ({run_cpu:.2f} s CPU) | plain requests, same bytes "
        f"{wire:6.2f} s ({wire_cpu:.2f} s CPU) | "
        f"client side {(run - wire) * per:.2f} s wall, {(run_cpu - wire_cpu) * per:.2f} s CPU "
        f"per 100k rows, of which the one pass (read, checks, hash, bodies) "
        f"{result['pass_seconds'] * per:.2f} s wall, {result['pass_cpu'] * per:.2f} s CPU | "
        f"ratio {run / wire:.1f}x wall | "
        f"peak RSS of the run {result['peak_mb_after_run']:.0f} MB "
        f"(before it {result['peak_mb_before_run']:.0f} MB) | "
        f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    path.unlink()


if __name__ == "__main__":
    main()
