"""Settings of the program's own workflows, imported by base.py: the public data request form,
data sharing agreements, and portal freshness."""

import environ

env = environ.Env()

# The public data request form (ADR 0027): submissions per client address per window (seconds),
# and the due date given to a request received that way (days after receipt).
CTODP_PUBLIC_REQUEST_LIMIT = env.int("CTODP_PUBLIC_REQUEST_LIMIT", default=5)
CTODP_PUBLIC_REQUEST_WINDOW = env.int("CTODP_PUBLIC_REQUEST_WINDOW_SECONDS", default=3600)
CTODP_PUBLIC_REQUEST_DUE_DAYS = env.int("CTODP_PUBLIC_REQUEST_DUE_DAYS", default=14)
# Data sharing agreements (ADR 0026): reminders this many days before an agreement ends; the
# signed document's largest size.
CTODP_SHARING_REMINDER_DAYS = env.list("CTODP_SHARING_REMINDER_DAYS", cast=int, default=[60, 30])
CTODP_SHARING_DOCUMENT_MAX_BYTES = env.int(
    "CTODP_SHARING_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024
)
# Portal sync and freshness (ADR 0009): catalog page size; the grace period after a dataset's
# expected update, as a share of its interval and at least this many days.
CTODP_PORTAL_SYNC_PAGE_SIZE = env.int("CTODP_PORTAL_SYNC_PAGE_SIZE", default=1000)
CTODP_FRESHNESS_GRACE = env.float("CTODP_FRESHNESS_GRACE", default=0.1)
CTODP_FRESHNESS_GRACE_MIN_DAYS = env.float("CTODP_FRESHNESS_GRACE_MIN_DAYS", default=1.0)
