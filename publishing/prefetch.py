"""Prepare the next chunks in a thread while the current one is on the wire.

The portal spends most of a chunk's time processing it; reading and converting the next chunk
meanwhile hides the client's share. The queue is bounded, so memory stays at a few chunks.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

from django.db import connections

T = TypeVar("T")
_DONE = object()


def prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield `items` in order, computed ahead by one background thread; errors re-raised here."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if not _put(ready, item, stop):
                    return
            _put(ready, _DONE, stop)
        except BaseException as error:  # handed to the consumer, which re-raises it
            _put(ready, error, stop)
        finally:
            # A database connection this thread opened (a lazy lookup while reading) is the
            # thread's own: close it, or it outlives the run.
            connections.close_all()

    thread = threading.Thread(target=produce, name="publishing-prefetch", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()  # the consumer stopped early (an error, a cancelled run): let the thread go
        thread.join(timeout=30)


def _put(ready: queue.Queue, item: object, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            ready.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False
