"""Public reads that cost little to repeat: ETag and Last-Modified computed from a few
aggregates (selectors.*_marks), 304 when the client's copy is current, a short public cache,
and gzip when the client accepts it (streamed CSVs stay streamed)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page

# Short: a change shows within five minutes, and a crawler's repeat costs one aggregate query.
PUBLIC_MAX_AGE = 300

View = Callable[..., HttpResponseBase]


def _validators(request: HttpRequest, marks: list) -> tuple[str, int | None]:
    """A weak ETag (the body is equivalent, not byte-identical, once gzipped) over the marks and
    the query string (a filtered CSV is its own representation); Last-Modified is the newest
    time among the marks."""
    seed = repr([*marks, request.GET.urlencode()]).encode()
    etag = f'W/"{hashlib.sha256(seed).hexdigest()[:32]}"'
    times = [m for m in marks if isinstance(m, datetime.datetime)]
    return etag, int(max(times).timestamp()) if times else None


def public_read(marks: Callable[[], list]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def inner(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            etag, last_modified = _validators(request, marks())
            request.public_etag = etag  # a view may key a cache of its body on it
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is None:
                response = view(request, *args, **kwargs)
            response.headers.setdefault("ETag", etag)
            if last_modified is not None:
                response.headers.setdefault("Last-Modified", http_date(last_modified))
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
            return response

        # Outside the check, so a 304 is never compressed and gzip keeps the weak ETag.
        return gzip_page(inner)

    return decorator
