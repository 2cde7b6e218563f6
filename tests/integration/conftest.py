"""A real Celery worker process on the test Redis, sharing the test PostgreSQL database."""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError

from ctodp.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_env() -> dict[str, str]:
    """Extra environment for the worker; a test module overrides this to add its own."""
    return {}


@pytest.fixture
def worker_process_env(transactional_db, settings, worker_env) -> dict[str, str]:
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ctodp.settings.test",
        "DATABASE_URL": database_url,
        "CTODP_TASKS_EAGER": "0",
        "CELERY_RESULT_BACKEND": os.environ["REDIS_URL"],
        # Uploaded sources are read through the storage API: the worker shares the media root.
        "CTODP_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **worker_env,
    }


@pytest.fixture
def worker_pool() -> tuple[str, ...]:
    """The worker's pool options; a test module overrides this with PREFORK."""
    return SOLO


def _pool(request) -> tuple[str, ...]:
    # Test modules elsewhere (tests/browser/) import celery_worker alone, without worker_pool.
    try:
        return request.getfixturevalue("worker_pool")
    except pytest.FixtureLookupError:
        return SOLO


@pytest.fixture
def celery_worker(request, worker_process_env):
    worker_pool = _pool(request)
    previous = (celery_app.conf.task_always_eager, celery_app.conf.result_backend)
    celery_app.conf.task_always_eager = False
    celery_app.conf.result_backend = os.environ["REDIS_URL"]
    _forget_result_backend()
    worker = start_worker(worker_process_env, worker_pool)
    try:
        _wait_until_ready(worker)
        yield worker
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.result_backend = previous
        _forget_result_backend()
        stop_worker(worker)


@pytest.fixture
def spawn_worker(request, celery_worker, worker_process_env) -> Callable[[], subprocess.Popen]:
    """Start another worker like the first one (after the first was killed, say)."""
    worker_pool = _pool(request)
    started = []

    def spawn() -> subprocess.Popen:
        started.append(start_worker(worker_process_env, worker_pool))
        _wait_until_ready(started[-1])
        return started[-1]

    yield spawn
    for worker in started:
        stop_worker(worker)


SOLO = ("--pool=solo", "--without-gossip", "--without-mingle")
# The documented production command (docs/OPERATIONS.md), with two processes on this machine.
PREFORK = ("--concurrency=2",)


def start_worker(env: dict[str, str], pool: tuple[str, ...] = SOLO) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ctodp",
            "worker",
            *pool,
            "--loglevel=WARNING",
            "--hostname=test@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # a kill of the group reaches the pool's children too
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def point_broker_at(url: str) -> None:
    """Send this process's tasks to another broker (its cached connection pools are dropped)."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _forget_result_backend() -> None:
    # Celery builds the result backend once per thread and caches it; an eager test earlier in
    # the session may have built the "disabled" one before this fixture configured Redis.
    celery_app._local.__dict__.pop("backend", None)


def _wait_until_ready(worker: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {worker.returncode}")
        try:
            if celery_app.control.ping(timeout=0.5):
                return
        except (BrokerError, RedisConnectionError):
            time.sleep(0.5)  # a pooled connection to a Redis a test restarted: the next try heals
    raise RuntimeError("the Celery worker did not answer within a minute")
