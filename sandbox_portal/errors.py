"""Socrata-shaped errors: every failure the sandbox reports travels as a SodaError."""

from __future__ import annotations

from typing import Any


class SodaError(Exception):
    """An error answered with a Socrata error body: `{"code", "error": true, "message", "data"}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.data = data
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "error": True, "message": self.message}
        if self.data is not None:
            body["data"] = self.data
        return body


def bad_request(message: str, code: str = "invalid_request") -> SodaError:
    return SodaError(400, code, message)


def dataset_missing(view_id: str) -> SodaError:
    # The shape /resource answers with for an unknown dataset (SODA.md §2).
    return SodaError(404, "dataset.missing", "Not found", {"id": view_id})


def view_missing(view_id: str) -> SodaError:
    # /api/views answers with a different code than /resource for the same situation.
    return SodaError(404, "not_found", f"Cannot find view with id {view_id}", {"id": view_id})


def not_logged_in() -> SodaError:
    return SodaError(401, "authentication_required", "You must be logged in to perform this action")


def bad_credentials() -> SodaError:
    return SodaError(401, "authentication_required", "Invalid username or password")


def forbidden() -> SodaError:
    # The body of a real 403 (sodapy's tests/test_data/403_response_json.txt) plus a code.
    return SodaError(403, "permission_denied", "You must be logged in to access this resource")
