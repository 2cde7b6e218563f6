"""Views (/api/views): create, render, update metadata, publish, permissions, working copies.

The stored document keeps what a publisher wrote (name, columns, metadata…); everything the
portal derives (ids, stages, timestamps, grants) is added when the view is rendered, so that the
two timestamps stay independent: data writes move `rowsUpdatedAt`, metadata edits move
`viewLastModified` (SODA.md §5).
"""

from __future__ import annotations

import copy
import re
import secrets
from typing import Any

from .catalog import STATS_KEY
from .errors import SodaError, bad_request
from .storage import Storage, ViewRecord

# Socrata's 4x4 ids avoid characters that are easy to misread.
ID_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyz"
FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
DATA_TYPES = {
    "text", "number", "checkbox", "calendar_date", "floating_timestamp", "fixed_timestamp",
    "date", "url", "point", "location", "multipoint", "line", "multiline", "polygon",
    "multipolygon", "money", "percent", "phone", "email", "flag", "stars", "drop_down_list",
    "photo", "document", "html", "blob",
}  # fmt: skip
RENDER_TYPES = {"calendar_date": "calendar_date", "date": "calendar_date"}
TEXT_KEYS = ("name", "description", "category", "attribution", "attributionLink", "licenseId")
OWNER_ID = "sbox-user"


def new_view_id() -> str:
    def part() -> str:
        return "".join(secrets.choice(ID_ALPHABET) for _ in range(4))

    return f"{part()}-{part()}"


def field_name_for(name: str) -> str:
    """Derive a field name the way the portal does when a column has none."""
    derived = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return derived if derived and not derived[0].isdigit() else f"_{derived}"


def build_columns(storage: Storage, specs: Any) -> list[dict[str, Any]]:
    if specs is None:
        return []
    if not isinstance(specs, list):
        raise bad_request("columns must be a list")
    columns, seen = [], set()
    for position, spec in enumerate(specs, start=1):
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            raise bad_request(f"Column {position} must be an object with a name")
        field_name = spec.get("fieldName") or field_name_for(spec["name"])
        data_type = spec.get("dataTypeName", "text")
        if not isinstance(field_name, str) or not FIELD_NAME.match(field_name):
            raise bad_request(f"Column {position}: invalid field name {field_name!r}")
        if field_name in seen:
            raise bad_request(f"Column {position}: duplicate field name {field_name!r}")
        if data_type not in DATA_TYPES:
            raise bad_request(f"Column {field_name}: unknown dataTypeName {data_type!r}")
        seen.add(field_name)
        columns.append(
            {
                "id": storage.next_id(),
                "name": spec["name"],
                "dataTypeName": data_type,
                "fieldName": field_name,
                "position": position,
                "renderTypeName": RENDER_TYPES.get(data_type, data_type),
                "tableColumnId": storage.next_id(),
                "description": spec.get("description", ""),
                "format": spec.get("format", {}),
            }
        )
    return columns


def _row_identifier_column(columns: list[dict[str, Any]], wanted: Any) -> dict[str, Any] | None:
    if wanted in (None, ""):
        return None
    for column in columns:
        if wanted in (column["fieldName"], column["id"], str(column["id"])):
            return column
    raise bad_request(f"rowIdentifier {wanted!r} does not name a column")


def _check_text_fields(payload: dict[str, Any]) -> None:
    for key in TEXT_KEYS:
        if key in payload and payload[key] is not None and not isinstance(payload[key], str):
            raise bad_request(f"{key} must be a string")
    tags = payload.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise bad_request("tags must be a list of strings")
    if "metadata" in payload and not isinstance(payload["metadata"], dict | None):
        raise bad_request("metadata must be an object")


def create_view(
    storage: Storage, payload: Any, owner: str, now: float, new_backend: bool
) -> ViewRecord:
    if not isinstance(payload, dict):
        raise bad_request("The request body must be a JSON object")
    if not isinstance(payload.get("name"), str) or not payload["name"].strip():
        raise bad_request("A dataset needs a name")
    _check_text_fields(payload)
    columns = build_columns(storage, payload.get("columns"))
    metadata = dict(payload.get("metadata") or {})
    rowid_column = _row_identifier_column(columns, metadata.pop("rowIdentifier", None))
    doc: dict[str, Any] = {key: payload[key] for key in TEXT_KEYS if payload.get(key) is not None}
    doc.update(tags=payload.get("tags") or [], columns=columns, metadata=metadata)
    doc["newBackend"] = new_backend
    doc["rowIdentifierFieldName"] = rowid_column["fieldName"] if rowid_column else None
    doc["oid"] = storage.next_id()
    view = ViewRecord(new_view_id(), doc, owner, now, now, now)
    storage.save_view(view)
    return view


def row_identifier(view: ViewRecord) -> str | None:
    return view.doc.get("rowIdentifierFieldName")


def column_types(view: ViewRecord) -> dict[str, str]:
    return {column["fieldName"]: column["dataTypeName"] for column in view.doc["columns"]}


def _rowid_column_id(view: ViewRecord) -> int | None:
    rowid = row_identifier(view)
    for column in view.doc["columns"]:
        if column["fieldName"] == rowid:
            return column["id"]
    return None


def render_view(view: ViewRecord, owner_name: str) -> dict[str, Any]:
    doc = copy.deepcopy(view.doc)
    doc.pop("rowIdentifierFieldName", None)
    stats = doc.pop(STATS_KEY, None) or {}
    rendered: dict[str, Any] = {"id": view.id, **doc}
    is_file = "blobId" in doc  # a non-data asset uploaded through /api/imports2
    rendered.update(
        assetType="file" if is_file else "dataset",
        displayType="blob" if is_file else "table",
        viewType="blobby" if is_file else "tabular",
        createdAt=int(view.created_at),
        rowsUpdatedAt=int(view.data_updated_at),
        viewLastModified=int(view.metadata_updated_at),
        publicationStage="published" if view.published else "unpublished",
        publicationAppendEnabled=False,
        downloadCount=int(stats.get("download_count", 0)),
        viewCount=int(stats.get("page_views_total", 0)),
        owner={"id": OWNER_ID, "displayName": owner_name},
        tableAuthor={"id": OWNER_ID, "displayName": owner_name},
        grants=[{"inherited": False, "type": "viewer", "flags": ["public"]}] if view.public else [],
        flags=["default"],
        rights=["read", "write", "add", "delete", "grant", "update_view", "delete_view"],
        query={},
    )
    column_id = _rowid_column_id(view)
    if column_id is not None:
        rendered["rowIdentifierColumnId"] = column_id
        rendered["metadata"]["rowIdentifier"] = column_id
    if view.publication_date is not None:
        rendered["publicationDate"] = int(view.publication_date)
    if view.copy_of:
        rendered["modifyingViewUid"] = view.copy_of
    return rendered


def update_view(storage: Storage, view: ViewRecord, payload: Any, now: float) -> ViewRecord:
    """A partial update: the keys given replace the stored ones; read-only keys are ignored.

    `metadata` is merged one level deep so that updating `custom_fields` does not drop the
    row identifier (the real portal replaces it whole, which is how views get corrupted).
    """
    if not isinstance(payload, dict):
        raise bad_request("The request body must be a JSON object")
    _check_text_fields(payload)
    if "name" in payload and not (payload["name"] or "").strip():
        raise bad_request("A dataset needs a name")
    for key in TEXT_KEYS:
        if key in payload:
            view.doc[key] = payload[key]
    if "tags" in payload:
        view.doc["tags"] = payload["tags"] or []
    metadata = payload.get("metadata") or {}
    custom = metadata.get("custom_fields")
    if custom is not None and not (
        isinstance(custom, dict) and all(isinstance(v, dict) for v in custom.values())
    ):
        raise bad_request("metadata.custom_fields must map fieldset names to objects")
    view.doc["metadata"].update({k: v for k, v in metadata.items() if k != "rowIdentifier"})
    view.metadata_updated_at = now
    storage.save_view(view)
    return view


def update_column(storage: Storage, view: ViewRecord, column_id: int, payload: Any) -> dict:
    if not isinstance(payload, dict):
        raise bad_request("The request body must be a JSON object")
    for column in view.doc["columns"]:
        if column["id"] == column_id:
            for key in ("name", "description"):
                if key in payload:
                    if not isinstance(payload[key], str):
                        raise bad_request(f"{key} must be a string")
                    column[key] = payload[key]
            storage.save_view(view)
            return column
    raise bad_request(f"No column with id {column_id}")


def publish_view(storage: Storage, view: ViewRecord, now: float) -> ViewRecord:
    """Publish a view; publishing a working copy replaces its original and returns that."""
    if view.copy_of:
        original = storage.get_view(view.copy_of)
        if original is None:
            raise SodaError(400, "invalid_request", "The original of this copy no longer exists")
        storage.replace_rows(view.id, original.id)
        original.doc = view.doc
        original.data_updated_at = max(original.data_updated_at, view.data_updated_at)
        original.metadata_updated_at = now
        storage.save_view(original)
        storage.delete_view(view.id)
        return original
    view.published = True
    view.publication_date = view.publication_date or now
    view.metadata_updated_at = now
    storage.save_view(view)
    return view


def set_permission(storage: Storage, view: ViewRecord, value: str | None, now: float) -> None:
    if value not in ("public.read", "public", "private"):
        raise bad_request(f"Unknown permission value {value!r}; use public.read or private")
    view.public = value != "private"
    view.metadata_updated_at = now
    storage.save_view(view)


def make_working_copy(storage: Storage, view: ViewRecord, now: float) -> ViewRecord:
    if view.copy_of:
        raise bad_request("A working copy cannot itself be copied")
    doc = copy.deepcopy(view.doc)
    working = ViewRecord(new_view_id(), doc, view.owner, now, view.data_updated_at, now)
    working.copy_of = view.id
    storage.save_view(working)
    storage.copy_rows(view.id, working.id)
    return working
