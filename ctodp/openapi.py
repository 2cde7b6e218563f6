"""OpenAPI schema post-processing: document the error answers every operation can give.

drf-spectacular documents the success answer only; the API also answers 400 (invalid filters or
body), 401 (no or bad token), 403 (not allowed) and 404 (another agency's or a missing record), all
as JSON. schemathesis (tests/api/test_schemathesis.py) fails on undocumented answers.
"""

from __future__ import annotations

from typing import Any

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A field's messages, or "detail" / "non_field_errors" for the whole request.
MESSAGES = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
COMPONENTS = {
    "ErrorDetail": DETAIL,
    "ValidationErrors": {"type": "object", "additionalProperties": MESSAGES},
}
DESCRIPTIONS = {
    "400": ("ValidationErrors", "Invalid filters or body: the messages by field."),
    "401": ("ErrorDetail", "No valid API token or session."),
    "403": ("ErrorDetail", "The caller may not do this."),
    "404": ("ErrorDetail", "No such record among those the caller may see."),
}


def _codes(operation: dict[str, Any], has_path_parameters: bool) -> list[str]:
    codes = ["401", "403"]
    if operation.get("parameters") or operation.get("requestBody"):
        codes.append("400")
    if has_path_parameters:
        codes.append("404")
    return codes


def _response(component: str, description: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{component}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document_errors(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code in _codes(operation, "{" in path):
                responses.setdefault(code, _response(*DESCRIPTIONS[code]))
    return result
