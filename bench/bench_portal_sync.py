"""Benchmark: portal sync of a catalog of N assets from the sandbox portal, half of them claimed.

    .venv/bin/python bench/bench_portal_sync.py [--assets 5000] [--page-size 1000]

Fills the sandbox's storage directly (no HTTP per asset), creates inventory datasets naming
every other asset's portal id, then times the first sync (all assets new) and a second one
(all known: updates only), and the freshness of every dataset.
"""

from __future__ import annotations

import argparse
import time

from _django import setup


def _portal(count: int):
    from sandbox_portal import start_sandbox
    from sandbox_portal.storage import ViewRecord

    running = start_sandbox()
    now = time.time()
    for number in range(count):
        doc = {"name": f"Asset {number}", "columns": [], "metadata": {}, "tags": []}
        view = ViewRecord(f"b{number:03d}-{number // 1000:04d}"[-9:], doc, "bench", now, now, now)
        view.id = f"{number % 10000:04d}-bnch"
        view.public = view.published = True
        running.state.storage.save_view(view)
    return running


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    setup()
    from django.conf import settings

    from inventories.models import Dataset
    from tests.inventories.factories import DatasetFactory, InventoryFactory
    from upkeep.freshness import datasets_freshness
    from upkeep.sync import portal_sync

    running = _portal(args.assets)
    settings.SOCRATA_DOMAIN, settings.SOCRATA_SCHEME = running.domain, "http"
    settings.SOCRATA_USERNAME, settings.SOCRATA_PASSWORD = "sandbox", "sandbox"
    inventory = InventoryFactory()
    Dataset.objects.bulk_create(
        DatasetFactory.build(inventory=inventory, portal_id=f"{n % 10000:04d}-bnch")
        for n in range(0, args.assets, 2)
    )
    labels = ("first sync (all new)", "second sync (unchanged)", "third sync (all updated)")
    for label in labels:
        if label.startswith("third"):
            for view in running.state.storage.list_views():
                running.state.storage.touch_data(view.id, time.time() + 60)
        started = time.perf_counter()
        run = portal_sync(page_size=args.page_size)
        took = time.perf_counter() - started
        print(f"{label}: {run.assets_read} assets, {run.linked} linked in {took:.2f} s")
    started = time.perf_counter()
    found = datasets_freshness(Dataset.objects.all())
    print(f"freshness of {len(found)} datasets: {time.perf_counter() - started:.2f} s")
    running.stop()


if __name__ == "__main__":
    main()
