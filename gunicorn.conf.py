"""gunicorn's settings, from the environment (ADR 0024; docs/OPERATIONS.md "Health, logs,
metrics"). The image runs `gunicorn ctodp.wsgi --config gunicorn.conf.py`."""

import gc
import os
import shutil
import tempfile
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Each worker is a process with its own database connection; 2 × cores + 1 is the usual start.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request slower than this is killed (uploads are parsed in the request: keep it above the
# slowest accepted upload); the load balancer's own timeout should be a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (memory of large spreadsheets), staggered.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The common log format and the request id (operations/logs.py) that ties it to the app's logs.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'

# Request metrics are counted in each worker process; prometheus_client adds them up from
# files in this folder (operations/metrics.py). Emptied when gunicorn starts.
_default_dir = str(Path(tempfile.gettempdir()) / "ctodp-prometheus")
PROMETHEUS_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", _default_dir))


def on_starting(server) -> None:
    shutil.rmtree(PROMETHEUS_DIR, ignore_errors=True)
    PROMETHEUS_DIR.mkdir(parents=True, exist_ok=True)


def post_worker_init(worker) -> None:
    """The app is loaded: what it built (Django's apps, models, URL patterns, templates) lives
    as long as the worker. Frozen, it is out of the cyclic collector's sight, so a full
    collection during a request walks the request's objects only, not all of those too (ADR
    0025: one such collection took 150 ms of a profiled dashboard request)."""
    gc.collect()
    gc.freeze()


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
