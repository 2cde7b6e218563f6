"""The worker's consumer, with Celery 5.7.0's reconnection repaired (issue #17.1, ADR 0023).

When Redis goes away under a busy prefork worker, Celery 5.7.0 first "collects" the broken
connection (kombu drops the transport's client) and then closes it again. That second close
asks the channel to restore the unacknowledged messages (our acks_late tasks in progress),
which needs the client kombu just dropped: `AttributeError: 'NoneType' object has no attribute
'hostname'`. It escapes the consumer's error handling and the worker exits ("Unrecoverable
error"), leaving nobody to take new runs. The same dropped client fails the acknowledgement of
the task that was running, once it ends, on the old channel.

This consumer closes the broken connection quietly, as Celery 5.6 did (it did not close it a
second time), and counts that AttributeError among the connection errors: a failed
acknowledgement is logged ("Couldn't ack") and the consumer reconnects instead of exiting.
Nothing is lost: Redis keeps the message unacknowledged and hands it out again after the
visibility timeout, and the duplicate finds its run ended and does nothing (ADR 0011).

Proved by tests/integration/test_prefork_worker.py. Drop this when Celery fixes it (the test
says whether it has): remove CELERY_WORKER_CONSUMER from the settings.
"""

from __future__ import annotations

import logging

from celery.worker.consumer import Consumer as CeleryConsumer

logger = logging.getLogger(__name__)


class Consumer(CeleryConsumer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Read by the task requests (their acknowledgements) and by the consumer loop.
        self.connection_errors = (*self.connection_errors, AttributeError)

    def on_connection_error_after_connected(self, exc: Exception) -> None:
        connection = self.connection
        if connection is not None:
            connection.close = _close_quietly(connection.close)
        super().on_connection_error_after_connected(exc)


def _close_quietly(close):
    def closing() -> None:
        try:
            close()
        except AttributeError as error:  # the collected connection has no client left
            logger.info("broken broker connection already released (%s)", error)

    return closing
