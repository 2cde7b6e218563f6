"""The public intake of data requests (ADO duties 3 and 4, ADR 0027): anyone may ask an agency
for data or report a problem from the catalog. The request lands in the agency's data requests
log, the requester gets a receipt with a private status link, and each client address may send
only so many an hour.

The status link's token is random (`secrets.token_urlsafe`) and only its SHA-256 is stored: the
database alone does not give anyone a working link.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.throttling import client_ip
from agencies.models import Agency
from inventories.models import Dataset
from program.models import Channel, DataRequest, RequesterType, Topic

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    request: DataRequest
    token: str

    @property
    def status_path(self) -> str:
        return reverse("public-requests:status", args=[self.token])


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def over_limit(request: HttpRequest) -> bool:
    """Counts this submission against the client's address; True past the hourly limit."""
    key = f"public-request:ip:{client_ip(request)}"
    cache.add(key, 0, timeout=settings.CTODP_PUBLIC_REQUEST_WINDOW)
    return cache.incr(key) > settings.CTODP_PUBLIC_REQUEST_LIMIT


def data_request_receive(
    *,
    agency: Agency,
    dataset: Dataset | None,
    topic: str,
    summary: str,
    details: str,
    requester_type: str,
    requester_name: str,
    requester_email: str,
) -> Receipt:
    """Log a request from the public form in the agency's log and e-mail the receipt."""
    token = secrets.token_urlsafe(32)
    today = timezone.localdate()
    entry = DataRequest(
        agency=agency,
        dataset=dataset,
        channel=Channel.PUBLIC_FORM,
        topic=Topic(topic),
        summary=summary,
        details=details,
        requester_type=RequesterType(requester_type),
        requester_name=requester_name,
        requester_email=requester_email,
        received_on=today,
        due_date=today + datetime.timedelta(days=settings.CTODP_PUBLIC_REQUEST_DUE_DAYS),
        status_token_hash=token_hash(token),
    )
    entry.full_clean(exclude=["created_by"])  # no account: the channel says who
    entry.save()
    receipt = Receipt(request=entry, token=token)
    try:
        send_receipt(receipt)
    except OSError:
        # The request is logged whatever the mail server does; the page shows the link anyway.
        logger.exception("receipt for data request %s not sent", entry.pk)
    return receipt


def find_by_token(token: str) -> DataRequest | None:
    if not token:
        return None
    rows = DataRequest.objects.filter(
        channel=Channel.PUBLIC_FORM, status_token_hash=token_hash(token)
    )
    return rows.select_related("agency", "dataset").first()


def send_receipt(receipt: Receipt) -> None:
    """Text and HTML receipt. A plain function so the shared notices mechanism can take it over."""
    entry = receipt.request
    context = {
        "entry": entry,
        "status_url": f"{settings.CTODP_PUBLIC_BASE_URL.rstrip('/')}{receipt.status_path}",
    }
    topic = "problem report" if entry.topic == Topic.PROBLEM else "data request"
    message = EmailMultiAlternatives(
        subject=f"Your {topic} to {entry.agency.name} was received",
        body=render_to_string("program/email/public_request_receipt.txt", context),
        to=[entry.requester_email],
    )
    message.attach_alternative(
        render_to_string("program/email/public_request_receipt.html", context), "text/html"
    )
    message.send()


def catalog_row(uid) -> Dataset | None:
    """The dataset a catalog page shows for `uid`: its row in the newest accepted inventory."""
    rows = Dataset.objects.in_catalog().filter(uid=uid).select_related("agency", "inventory")
    return rows.order_by("-inventory__year", "-pk").first()
