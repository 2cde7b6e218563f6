"""The CT Geo Data Portal's settings, imported by base.py (one block, one on/off flag; ADR 0029).

The Geo Data Portal is an ArcGIS Hub site (its pages: CTODP_GEO_PORTAL_URL) over an ArcGIS
Online organisation, whose items ctodp reads through the sharing API's search
(CTODP_GEO_API_URL + /sharing/rest/search, q=CTODP_GEO_QUERY). The defaults are the sandbox
portal that `make run` starts, which answers that search too.
"""

import environ

env = environ.Env()

CTODP_GEO_ENABLED = env.bool("CTODP_GEO_ENABLED", default=True)
CTODP_GEO_PORTAL_URL = env("CTODP_GEO_PORTAL_URL", default="http://127.0.0.1:8001")
CTODP_GEO_API_URL = env("CTODP_GEO_API_URL", default="http://127.0.0.1:8001")
CTODP_GEO_QUERY = env("CTODP_GEO_QUERY", default="orgid:sandboxGeoOrg")
CTODP_GEO_PAGE_SIZE = env.int("CTODP_GEO_PAGE_SIZE", default=100)  # ArcGIS's maximum
CTODP_GEO_TIMEOUT = env.float("CTODP_GEO_TIMEOUT", default=30.0)
CTODP_GEO_RETRIES = env.int("CTODP_GEO_RETRIES", default=4)  # after the first attempt
CTODP_GEO_BACKOFF_BASE = env.float("CTODP_GEO_BACKOFF_BASE", default=1.0)  # doubled each try
CTODP_GEO_BACKOFF_MAX = env.float("CTODP_GEO_BACKOFF_MAX", default=60.0)
