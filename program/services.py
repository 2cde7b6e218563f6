"""Writes of the program app: the data requests log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from agencies.models import Agency
from program.models import DataRequest


def data_request_create(*, agency: Agency, data: dict[str, Any], acting_user: User) -> DataRequest:
    request = DataRequest(agency=agency, created_by=acting_user, **data)
    request.full_clean()
    request.save()
    return request


def data_request_update(
    *, request: DataRequest, data: dict[str, Any], acting_user: User
) -> DataRequest:
    for name, value in data.items():
        setattr(request, name, value)
    request.full_clean()
    request.save()
    return request
