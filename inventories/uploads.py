"""Untrusted spreadsheets (ADR 0017): their size while they stream in, and their shape before a
parser touches them. Used by the inventory import and by publication sources.

- `LimitedUploadHandler` stops reading an upload once it passes CTODP_MAX_UPLOAD_BYTES (or at
  once when Content-Length says it will) and leaves a message on the request (`refusal`).
- `check_workbook` opens an XLSX as the zip it is and refuses it before openpyxl does when the
  members would expand past CTODP_XLSX_MAX_UNCOMPRESSED_BYTES, when one expands more than
  CTODP_XLSX_MAX_RATIO times, or when a sheet's declared dimension is beyond the row or column
  limits. zipfile never yields more than a member's declared size, so the sums hold.
- `check_csv_header` counts a CSV's columns from its first line before pandas parses it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import IO

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat

FORM_FIELDS_ALLOWANCE = 256 * 1024  # the other fields of a multipart body besides the file
HEADER_BYTES = 4 * 1024 * 1024
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')
SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class UploadRefusedError(ValueError):
    """The file is refused as a whole; the message names the limit, for the person who sent it."""


# --- size, while the body streams in ---------------------------------------------------------


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes each chunk on, and stops the upload past the limit
    instead of letting the whole body reach the disk first."""

    def handle_raw_input(self, input_data, meta, content_length, boundary, encoding=None):
        self.limit = settings.CTODP_MAX_UPLOAD_BYTES
        self.announced_too_large = content_length > self.limit + FORM_FIELDS_ALLOWANCE

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.announced_too_large:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file

    def _refuse(self) -> None:
        if self.request is not None:
            self.request.upload_refused = too_large_message(self.limit)
        raise StopUpload(connection_reset=True)


def too_large_message(limit: int) -> str:
    return f"The file is too large: the limit is {filesizeformat(limit)}."


def refusal(request: HttpRequest) -> str:
    """Why the request's upload was stopped, or "" (read after request.POST or FILES)."""
    return getattr(request, "upload_refused", "")


# --- shape, before parsing ---------------------------------------------------------------------


def check_upload(handle: IO[bytes], name: str) -> None:
    """Refuse a hostile XLSX or a CSV with too many columns (the handle is left where it was)."""
    if name.lower().endswith(".xlsx") or _starts_like_zip(handle):
        check_workbook(handle)
    elif name.lower().endswith((".csv", ".txt")):
        check_csv_header(handle)


def _starts_like_zip(handle: IO[bytes]) -> bool:
    start = handle.tell()
    head = handle.read(4)
    handle.seek(start)
    return head == b"PK\x03\x04"


def check_workbook(handle: IO[bytes]) -> None:
    start = handle.tell()
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            _check_expansion(members)
            for member in members:
                if SHEET.match(member.filename):
                    _check_dimension(archive, member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise UploadRefusedError(
            "This file is not a readable XLSX workbook. Save it from your spreadsheet program "
            "as 'Excel Workbook (.xlsx)' or as CSV."
        ) from error
    finally:
        handle.seek(start)


def _check_expansion(members: list[zipfile.ZipInfo]) -> None:
    limit = settings.CTODP_XLSX_MAX_UNCOMPRESSED_BYTES
    if sum(member.file_size for member in members) > limit:
        raise UploadRefusedError(
            f"The workbook expands to more than {filesizeformat(limit)} when opened, the limit "
            "(CTODP_XLSX_MAX_UNCOMPRESSED_MB). Split it, or upload it as CSV."
        )
    ratio = settings.CTODP_XLSX_MAX_RATIO
    for member in members:
        # Small members compress well without harm; a big one that expands this much is a bomb.
        if member.file_size > 1 << 20 and member.file_size > ratio * max(member.compress_size, 1):
            raise UploadRefusedError(
                f"The workbook's part {member.filename} expands more than {ratio} times when "
                "opened, the limit (CTODP_XLSX_MAX_RATIO). Save it again as XLSX or as CSV."
            )


def _check_dimension(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    with archive.open(member) as sheet:
        head = sheet.read(64 * 1024)
    found = DIMENSION.search(head)
    if found is None:
        return  # no declared dimension: the readers stop at the row and column limits instead
    from openpyxl.utils.cell import column_index_from_string  # openpyxl loads in ~0.1 s

    check_shape(rows=int(found.group(2)), columns=column_index_from_string(found[1].decode()))


def check_shape(*, rows: int = 0, columns: int = 0) -> None:
    if columns > settings.CTODP_UPLOAD_MAX_COLUMNS:
        raise UploadRefusedError(
            f"The file has {columns:,} columns; the limit is "
            f"{settings.CTODP_UPLOAD_MAX_COLUMNS:,} (CTODP_UPLOAD_MAX_COLUMNS)."
        )
    if rows > settings.CTODP_UPLOAD_MAX_ROWS:
        raise UploadRefusedError(
            f"The workbook has {rows:,} rows; the limit is {settings.CTODP_UPLOAD_MAX_ROWS:,} "
            "(CTODP_UPLOAD_MAX_ROWS). Upload it as CSV, or give a URL or a query."
        )


def check_csv_header(handle: IO[bytes]) -> None:
    start = handle.tell()
    line = handle.readline(HEADER_BYTES)
    handle.seek(start)
    if len(line) >= HEADER_BYTES and not line.endswith(b"\n"):
        raise UploadRefusedError(
            f"The first line of the file is longer than {filesizeformat(HEADER_BYTES)}; "
            f"a CSV may have at most {settings.CTODP_UPLOAD_MAX_COLUMNS:,} columns "
            "(CTODP_UPLOAD_MAX_COLUMNS)."
        )
    text = line.decode("utf-8-sig", errors="replace")
    header = next(csv.reader(io.StringIO(text)), [])
    check_shape(columns=len(header))
