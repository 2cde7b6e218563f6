"""Operations against real services (ADR 0024): readiness with a Redis this test owns (stopped
mid-test) and Celery ping with and without a worker; per-agency queues on the test Redis."""

import pytest
from django.utils import timezone

from tests.integration.outages import RedisServer
from tests.operations.conftest import TOKEN
from tests.operations.test_health import beat_sent, failing

pytestmark = pytest.mark.integration


@pytest.fixture
def ops(settings, client):
    settings.CTODP_OPS_TOKEN = TOKEN
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.kill()


@pytest.fixture
def on_redis(settings, tmp_path, transactional_db):
    settings.MEDIA_ROOT = tmp_path
    settings.CTODP_HEALTH_MIN_FREE_MB = 1
    settings.CTODP_HEALTH_CELERY_TIMEOUT = 1.0
    beat_sent(timezone.now())
    return settings


def test_redis_check_fails_once_its_server_is_stopped(ops, on_redis, redis_server):
    on_redis.REDIS_URL = redis_server.url
    on_redis.CELERY_BROKER_URL = "filesystem://"  # this test is about Redis alone

    before = ops.get("/health/?format=json")
    redis_server.kill()
    after = ops.get("/health/?format=json")

    assert before.status_code == 200, before.json()
    assert after.status_code == 500
    name = f"Redis(db=0, host='127.0.0.1', port={redis_server.port})"
    assert list(failing(after)) == [name]
    assert failing(after)[name].startswith("Unavailable: Unable to connect to Redis")


def test_celery_ping_fails_without_a_worker(ops, on_redis):
    response = ops.get("/health/?format=json")

    assert response.status_code == 500
    assert failing(response) == {"CeleryPing()": "Unavailable: Celery workers unavailable"}


def test_celery_ping_passes_with_a_worker(ops, on_redis, celery_worker):
    response = ops.get("/health/?format=json")

    assert response.status_code == 200, response.json()
    assert "CeleryPing()" in response.json()
