import pytest

from ctodp.celery import ping

pytestmark = pytest.mark.integration


def test_a_real_worker_on_redis_runs_tasks(celery_worker):
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert result.successful()
