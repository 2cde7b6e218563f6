"""Checks of notice e-mails (agencies/notices.py): recipients, subject, a line of the body in
both parts, and the absolute link in both parts."""

from __future__ import annotations

import html

import pytest
from django.core import mail

BASE = "https://ctodp.example.gov"


@pytest.fixture
def public_base(settings):
    """Links in e-mail are built on CTODP_PUBLIC_BASE_URL: a distinct one proves it."""
    settings.CTODP_PUBLIC_BASE_URL = BASE + "/"
    return BASE


def sent(kind_subject: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.subject.startswith(kind_subject)]


def html_part(message) -> str:
    parts = {mime: content for content, mime in message.alternatives}
    return parts["text/html"]


def check(message, *, subject: str, line: str, path: str) -> None:
    assert message.subject == subject
    page = html_part(message)
    assert line in message.body
    assert line in html.unescape(page)
    link = BASE + path
    assert f"{link}\n" in message.body
    assert f'<a href="{link}">' in page


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)
