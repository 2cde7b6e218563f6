"""The portal client: every call to the Socrata portal goes through PortalClient (sodapy 2.2.0,
shared/SODA.md). `metadata` builds what a publication's asset says about itself."""

from publishing.portal.client import PortalClient
from publishing.portal.config import PortalSettings, is_loopback
from publishing.portal.errors import PortalError, WriteResult

__all__ = ["PortalClient", "PortalError", "PortalSettings", "WriteResult", "is_loopback"]
