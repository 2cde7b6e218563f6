"""The operators' endpoints answer only with the operations token (CTODP_OPS_TOKEN)."""

import pytest

TOKEN = "ops-test-token"


@pytest.fixture
def ops(settings, client):
    """A client that sends the operations token, with the token configured."""
    settings.CTODP_OPS_TOKEN = TOKEN
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


@pytest.fixture
def no_task_queue(settings):
    """Readiness without Redis or a broker to ping (the folder broker of `make run`)."""
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = "filesystem://"
    return settings
