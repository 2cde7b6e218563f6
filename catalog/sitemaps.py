"""/sitemap.xml (ADR 0028): the public catalog pages, for ordinary search engines.

Addresses are built on CTODP_PUBLIC_BASE_URL, as data.json's and the JSON-LD's are, whatever host
the request came in on. Only public datasets that are still on the portal are listed; a
restricted, non-public or retired dataset's page exists but is not offered.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from catalog import selectors
from inventories.models import Dataset


class _PublicSite(Sitemap):
    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.CTODP_PUBLIC_BASE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.CTODP_PUBLIC_BASE_URL).netloc


class CatalogPages(_PublicSite):
    def items(self) -> list[str]:
        return ["catalog:index", "catalog:retired"]

    def location(self, item: str) -> str:
        return reverse(item)


class DatasetPages(_PublicSite):
    def items(self):
        return selectors.sitemap_datasets()

    def location(self, item: Dataset) -> str:
        return reverse("catalog:dataset", args=[item.uid])

    def lastmod(self, item: Dataset) -> datetime.datetime:
        return item.updated_at


SITEMAPS = {"catalog": CatalogPages, "datasets": DatasetPages}
