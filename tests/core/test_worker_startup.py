"""A worker process hides what it built at start-up from the cyclic garbage collector
(gc.freeze), so full collections during a run walk the run's objects only (ADR 0025)."""

import gc

import pytest
from celery import signals

import ctodp.celery  # noqa: F401  connects the handlers, as the worker's `-A ctodp` does


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test session collects as usual


@pytest.mark.parametrize("signal", [signals.worker_process_init, signals.worker_ready])
def test_a_starting_worker_freezes_what_it_has_built(unfrozen, signal, settings):
    settings.CTODP_RUN_SWEEP = 0  # worker_ready also starts the worker's sweeper: not here
    assert gc.get_freeze_count() == 0

    signal.send(sender=None)

    assert gc.get_freeze_count() > 10_000  # Django's apps and models, at the least
    assert gc.get_count()[2] == 0  # collected first: no garbage made permanent
