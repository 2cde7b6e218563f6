"""Non-data files and attachments: the rest of sodapy 2.2.0's calls (SODA.md §1).

`create_non_data_file` and `replace_non_data_file` upload multipart `file` fields; attachments
are uploaded with POST /api/assets (the endpoint the portal's own editor uses) and listed in
`metadata.attachments`. Downloads are served without credentials because sodapy's
`download_attachments` sends none (it uses a bare `requests.get`); ids are unguessable.
"""

from __future__ import annotations

import email.policy
import secrets
from email.parser import BytesParser
from typing import Any

from .api import VIEW_ID, Request, Response, SandboxState, load_view, require_user, route
from .errors import SodaError, bad_request
from .storage import Blob, ViewRecord
from .views import new_view_id, render_view


def uploaded_file(request: Request) -> Blob:
    """The multipart field named `file`, parsed with the stdlib email parser (cgi is gone)."""
    content_type = request.headers.get("Content-Type") or ""
    if not content_type.lower().startswith("multipart/form-data"):
        raise bad_request("Send the file as multipart/form-data with a field named 'file'")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            data = part.get_payload(decode=True) or b""
            filename = part.get_filename() or "upload"
            return Blob(secrets.token_hex(16), filename, part.get_content_type(), data)
    raise bad_request("The multipart body has no field named 'file'")


def _describe(doc: dict[str, Any], blob: Blob) -> None:
    doc.update(
        blobId=blob.id,
        blobFilename=blob.filename,
        blobFileSize=len(blob.data),
        blobMimeType=blob.content_type,
    )


@route("POST", r"/api/imports2/?")
def create_file(state: SandboxState, request: Request) -> Response:
    user = require_user(request)
    if request.param("method") != "blob":
        raise bad_request("The sandbox only supports /api/imports2 with method=blob")
    blob = uploaded_file(request)
    now = state.clock.now()
    state.storage.save_blob(blob, now)
    doc: dict[str, Any] = {"name": request.param("name") or blob.filename, "columns": []}
    doc.update(tags=[], metadata={}, rowIdentifierFieldName=None, oid=state.storage.next_id())
    _describe(doc, blob)
    view = ViewRecord(new_view_id(), doc, user, now, now, now)
    state.storage.save_view(view)
    return Response(body=render_view(view, view.owner))


@route("POST", rf"/api/views/{VIEW_ID}\.txt")
def replace_file(state: SandboxState, request: Request, view_id: str) -> Response:
    require_user(request)
    if request.param("method") != "replaceBlob":
        raise bad_request("Use method=replaceBlob to replace a file")
    view = load_view(state, request, view_id, resource=False)
    if "blobId" not in view.doc:
        raise bad_request("A table-based dataset cannot be replaced by a file")
    blob = uploaded_file(request)
    now = state.clock.now()
    state.storage.save_blob(blob, now)
    _describe(view.doc, blob)
    view.data_updated_at = view.metadata_updated_at = now
    state.storage.save_view(view)
    return Response(body=render_view(view, view.owner))


@route("POST", r"/api/assets")
def upload_attachment(state: SandboxState, request: Request) -> Response:
    require_user(request)
    blob = uploaded_file(request)
    state.storage.save_blob(blob, state.clock.now())
    return Response(body={"id": blob.id, "nameForOutput": blob.filename, "size": len(blob.data)})


def _download(state: SandboxState, blob_id: str, filename: str | None = None) -> Response:
    blob = state.storage.get_blob(blob_id)
    if blob is None:
        raise SodaError(404, "not_found", f"No file {blob_id}", {"id": blob_id})
    disposition = f'attachment; filename="{(filename or blob.filename).replace(chr(34), "")}"'
    headers = {"Content-Disposition": disposition}
    return Response(body=blob.data, content_type=blob.content_type, headers=headers)


@route("GET", r"/api/assets/(?P<blob_id>[0-9a-f]+)")
def download_asset(state: SandboxState, request: Request, blob_id: str) -> Response:
    return _download(state, blob_id)


@route("GET", rf"/api/views/{VIEW_ID}/files/(?P<asset_id>[0-9a-f]+)")
def download_view_file(
    state: SandboxState, request: Request, view_id: str, asset_id: str
) -> Response:
    if state.storage.get_view(view_id) is None:
        raise SodaError(404, "not_found", f"Cannot find view with id {view_id}", {"id": view_id})
    return _download(state, asset_id, request.param("filename"))
