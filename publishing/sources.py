"""Reading a publication's source in chunks, inferring its columns, and turning chunks into rows.

Every source becomes an iterator of pandas DataFrames of strings (`read_chunks`), so memory
stays flat whatever the size: CSV through pandas' `chunksize`, XLSX through openpyxl's
read-only mode, a URL spooled to a temporary file first, SQL through a streaming cursor.
A column is a dict: {"name": header, "field_name": portal field, "type": dataTypeName,
"format": strptime format for dates or ""}.
"""

from __future__ import annotations

import contextlib
import csv
import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError

from inventories import uploads
from publishing import extensions, fetch, sql
from publishing.json_stream import JsonStreamError, json_array_objects

Column = dict[str, str]
SAMPLE_ROWS = 5_000
DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S")
ISO_DATE = "%Y-%m-%d"
CHECKBOX_WORDS = {"true", "false"}


class SourceError(Exception):
    """The source cannot be read, or a value does not fit its column: says where."""


# --- columns -------------------------------------------------------------------------------


def field_name_for(name: str) -> str:
    """The portal's field name for a header ("Residence City" → "residence_city")."""
    derived = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    return derived if derived and not derived[0].isdigit() else f"_{derived}"


def _date_format(values: pd.Series) -> str | None:
    for fmt in (ISO_DATE, *DATE_FORMATS):
        if pd.to_datetime(values, format=fmt, errors="coerce").notna().all():
            return fmt
    return None


def _infer_type(values: pd.Series) -> tuple[str, str]:
    values = values[values.str.strip() != ""].str.strip()
    if values.empty:
        return "text", ""
    if pd.to_numeric(values, errors="coerce").notna().all():
        return "number", ""
    if values.str.lower().isin(CHECKBOX_WORDS).all():
        return "checkbox", ""
    fmt = _date_format(values)
    if fmt:
        return "calendar_date", fmt
    return "text", ""


def infer_columns(sample: pd.DataFrame) -> list[Column]:
    columns, seen = [], set()
    for name in sample.columns:
        field = field_name_for(str(name))
        if field in seen:
            raise SourceError(f"Two columns become the field {field!r}; rename one of them")
        seen.add(field)
        data_type, fmt = _infer_type(sample[name].astype(str))
        columns.append({"name": str(name), "field_name": field, "type": data_type, "format": fmt})
    return columns


def diff_columns(old: list[Column], new: list[Column]) -> list[str]:
    """Plain sentences that explain how the columns changed (empty when they did not)."""
    before = {c["field_name"]: c for c in old}
    after = {c["field_name"]: c for c in new}
    changes = [f"Column “{after[f]['name']}” is new." for f in after if f not in before]
    changes += [f"Column “{before[f]['name']}” is gone." for f in before if f not in after]
    for field in before.keys() & after.keys():
        if before[field]["type"] != after[field]["type"]:
            changes.append(
                f"Column “{after[field]['name']}” was {before[field]['type']}, "
                f"now looks like {after[field]['type']}."
            )
    return changes


# --- reading -------------------------------------------------------------------------------


def _csv_chunks(handle: IO[bytes], chunk_size: int) -> Iterator[pd.DataFrame]:
    # Object columns of Python strings (never NaN: keep_default_na=False): with pandas 3 and no
    # pyarrow the `str` dtype reads about a tenth slower, and `tolist()` copies each value out.
    reader = pd.read_csv(
        handle, dtype=object, keep_default_na=False, chunksize=chunk_size, encoding="utf-8-sig"
    )
    with reader:
        yield from reader


def _xlsx_chunks(handle: IO[bytes], chunk_size: int) -> Iterator[pd.DataFrame]:
    """Checked before openpyxl opens it; a sheet without a declared size stops at the limits."""
    from openpyxl import load_workbook

    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        rows = workbook.active.iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
        uploads.check_shape(columns=len(header))
        batch: list[list[str]] = []
        for number, row in enumerate(rows, start=1):
            if number > settings.CTODP_UPLOAD_MAX_ROWS:
                uploads.check_shape(rows=number)
            batch.append(["" if cell is None else _cell_text(cell) for cell in row])
            if len(batch) == chunk_size:
                yield pd.DataFrame(batch, columns=header, dtype=str)
                batch = []
        if batch:
            yield pd.DataFrame(batch, columns=header, dtype=str)
    finally:
        workbook.close()


def _cell_text(cell: Any) -> str:
    if isinstance(cell, datetime):
        return cell.isoformat(timespec="seconds")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _json_chunks(handle: IO[bytes], chunk_size: int) -> Iterator[pd.DataFrame]:
    rows: list[dict] = []
    try:
        for row in json_array_objects(handle):
            rows.append(row)
            if len(rows) == chunk_size:
                yield pd.DataFrame(rows, dtype=object).fillna("").astype(str)
                rows = []
    except JsonStreamError as error:
        raise SourceError(str(error)) from error
    if rows:
        yield pd.DataFrame(rows, dtype=object).fillna("").astype(str)


def _sql_chunks(publication: Any, chunk_size: int) -> Iterator[pd.DataFrame]:
    """Checked again here: the grant or the query may have changed since it was attached."""
    try:
        url = sql.check_database(publication.source_database, publication.agency)
        for names, rows in sql.read(url, publication.source_query, chunk_size):
            frame = pd.DataFrame.from_records(rows, columns=names)
            yield frame.astype(object).where(frame.notna(), "").astype(str)
    except sql.QueryRefusedError as error:
        raise SourceError(str(error)) from error


def _builtin_chunks(publication: Any, chunk_size: int) -> Iterator[pd.DataFrame]:
    """Rows an app above made (extensions.builtin_sources, ADR 0030), exactly as exported."""
    provider = extensions.builtin_sources.get(publication.source_kind)
    if provider is None:
        raise SourceError(f"No provider is registered for the {publication.source_kind} source.")
    header, rows = provider()
    batch: list[list[str]] = []
    for row in rows:
        batch.append(["" if value is None else str(value) for value in row])
        if len(batch) == chunk_size:
            yield pd.DataFrame(batch, columns=header, dtype=str)
            batch = []
    if batch:
        yield pd.DataFrame(batch, columns=header, dtype=str)


def file_format(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return "xlsx"
    if lowered.endswith(".json"):
        return "json"
    return "csv"


def _file_chunks(handle: IO[bytes], fmt: str, chunk_size: int) -> Iterator[pd.DataFrame]:
    """The bytes' shape is checked before a parser opens them (ADR 0017)."""
    uploads.check_upload(handle, f"source.{fmt}")
    readers = {"csv": _csv_chunks, "xlsx": _xlsx_chunks, "json": _json_chunks}
    for chunk in readers[fmt](handle, chunk_size):
        uploads.check_shape(columns=len(chunk.columns))  # JSON keys, SQL columns
        yield chunk


@contextlib.contextmanager
def _spooled_url(url: str, timeout: float | None = None) -> Iterator[IO[bytes]]:
    """Download to a temporary file through the guarded client (fetch.py, ADR 0017): a URL is
    read twice (hash, then push). `timeout` is the deadline of the whole download."""
    with tempfile.TemporaryFile() as spool:
        try:
            fetch.download(
                url,
                spool,
                timeout=timeout or settings.CTODP_SOURCE_URL_TIMEOUT,
                max_bytes=settings.CTODP_SOURCE_URL_MAX_BYTES,
                allowed_hosts=settings.CTODP_SOURCE_URL_ALLOWED_HOSTS,
            )
        except fetch.FetchError as error:
            raise SourceError(str(error)) from error
        spool.seek(0)
        yield spool


@contextlib.contextmanager
def downloaded_once(publication: Any) -> Iterator[None]:
    """For a URL source, download once for the whole run: both passes then read the same
    bytes, and the survey's checks and hash hold for what is pushed."""
    if publication.source_kind != "url":
        yield
        return
    try:
        with _spooled_url(publication.source_url) as spool:
            publication.url_spool = spool
            yield
    finally:
        publication.url_spool = None


@contextlib.contextmanager
def open_source(publication: Any) -> Iterator[IO[bytes]]:
    """The bytes of a file or URL source (a URL through the guarded client), for readers of
    their own such as the privacy engine."""
    try:
        if publication.source_kind == "file":
            with publication.source_file.open("rb") as handle:
                uploads.check_upload(handle, publication.source_name or handle.name)
                yield handle
        elif publication.source_kind == "url":
            with _spooled_url(publication.source_url) as spool:
                uploads.check_upload(spool, publication.source_url)
                yield spool
        else:
            raise SourceError("Only a file or URL source has bytes to open.")
    except uploads.UploadRefusedError as error:
        raise SourceError(str(error)) from error


def read_chunks(publication: Any, chunk_size: int) -> Iterator[pd.DataFrame]:
    """The publication's source as DataFrames of strings; errors become SourceError."""
    try:
        if publication.source_kind == "file":
            with publication.source_file.open("rb") as handle:
                fmt = file_format(publication.source_name or publication.source_file.name)
                yield from _file_chunks(handle, fmt, chunk_size)
        elif publication.source_kind == "url":
            fmt = file_format(publication.source_url)
            spool = getattr(publication, "url_spool", None)  # set by `downloaded_once`
            if spool is not None:
                spool.seek(0)
                yield from _file_chunks(spool, fmt, chunk_size)
            else:
                with _spooled_url(publication.source_url) as handle:
                    yield from _file_chunks(handle, fmt, chunk_size)
        elif publication.source_kind == "sql":
            yield from _sql_chunks(publication, chunk_size)
        elif publication.source_kind in extensions.builtin_sources:
            yield from _builtin_chunks(publication, chunk_size)
        else:
            raise SourceError("The publication has no source yet")
    except SourceError:
        raise
    except uploads.UploadRefusedError as error:
        raise SourceError(str(error)) from error
    except (OSError, ValueError, KeyError, csv.Error) as exc:
        raise SourceError(f"The source cannot be read: {exc}") from exc
    except Exception as exc:  # SQLAlchemy and openpyxl raise their own types
        raise SourceError(f"The source cannot be read: {type(exc).__name__}: {exc}") from exc


def sample_columns(publication: Any) -> list[Column]:
    for chunk in read_chunks(publication, SAMPLE_ROWS):
        return infer_columns(chunk)
    raise SourceError("The source is empty: it has no header row")


def check_sql_source(database: str, query: str, agency: Any) -> None:
    """The database is granted to the agency and the query is one SELECT (ADR 0017)."""
    try:
        sql.check_database(database, agency)
    except sql.QueryRefusedError as error:
        raise ValidationError({"source_database": str(error)}) from error
    try:
        sql.check_query(query)
    except sql.QueryRefusedError as error:
        raise ValidationError({"source_query": str(error)}) from error


# --- the header ----------------------------------------------------------------------------


def check_header(chunk: pd.DataFrame, columns: list[Column]) -> None:
    found = [field_name_for(str(name)) for name in chunk.columns]
    confirmed = [c["field_name"] for c in columns]
    if found != confirmed:
        fake = [
            {"name": str(n), "field_name": f, "type": ""}
            for n, f in zip(chunk.columns, found, strict=False)
        ]
        old = [{**c, "type": ""} for c in columns]
        changes = " ".join(diff_columns(old, fake)) or "The columns are in a different order."
        raise SourceError(
            f"The source's columns changed since they were confirmed: {changes} "
            "Confirm the new columns before publishing."
        )
