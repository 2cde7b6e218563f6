"""Read a tabular source (CSV or XLSX; path, URL or file-like) as a stream of DataFrame chunks.

Every value is read as text: the screen looks at how values are written (leading zeros of ZIP
codes, date formats), and numbers are parsed only where a rule needs them. Columns are plain
object arrays of Python strings: with pandas 3 and no pyarrow, the `str` dtype parses about a
third slower and every screen step works the same on objects.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pandas as pd
import requests

Source = str | Path | IO[bytes] | IO[str]
DEFAULT_CHUNKSIZE = 100_000
URL_TIMEOUT_SECONDS = 60
_XLSX_MAGIC = b"PK\x03\x04"


def source_label(source: Source) -> str:
    if isinstance(source, str | Path):
        return str(source)
    return getattr(source, "name", None) or type(source).__name__


def is_url(source: Source) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def iter_chunks(source: Source, chunksize: int = DEFAULT_CHUNKSIZE) -> Iterator[pd.DataFrame]:
    """Yield DataFrames of at most `chunksize` rows, all columns as text (missing as NaN)."""
    with _opened(source) as (handle, excel):
        if excel:
            yield from _excel_chunks(handle, chunksize)
        else:
            reader = pd.read_csv(handle, dtype=object, chunksize=chunksize)
            with reader:
                yield from reader


@contextmanager
def _opened(source: Source) -> Iterator[tuple[IO | str, bool]]:
    if is_url(source):
        with _url_stream(str(source)) as opened:
            yield opened
    elif isinstance(source, str | Path):
        path = Path(source)
        yield str(path), path.suffix.lower() in {".xlsx", ".xlsm"} or _has_xlsx_magic(path)
    else:
        yield source, _peek_is_xlsx(source)


@contextmanager
def _url_stream(url: str) -> Iterator[tuple[IO, bool]]:
    with requests.get(url, stream=True, timeout=URL_TIMEOUT_SECONDS) as response:
        response.raise_for_status()
        kind = response.headers.get("Content-Type", "")
        if url.lower().endswith((".xlsx", ".xlsm")) or "spreadsheetml" in kind:
            # openpyxl needs a seekable file: spool the download to disk, not to memory.
            with tempfile.TemporaryFile() as spool:
                for block in response.iter_content(1 << 20):
                    spool.write(block)
                spool.seek(0)
                yield spool, True
        else:
            response.raw.decode_content = True
            yield response.raw, False


def _has_xlsx_magic(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == _XLSX_MAGIC


def _peek_is_xlsx(handle: IO) -> bool:
    if isinstance(handle, io.TextIOBase) or not handle.seekable():
        return False
    start = handle.tell()
    head = handle.read(4)
    handle.seek(start)
    return head == _XLSX_MAGIC


def _excel_chunks(handle: IO | str, chunksize: int) -> Iterator[pd.DataFrame]:
    from openpyxl import load_workbook

    # read_only streams rows from the zip instead of building the whole sheet in memory.
    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(cell) if cell is not None else "" for cell in next(rows, ())]
        batch: list[list[str | None]] = []
        width = len(header)
        for row in rows:
            # read-only sheets drop trailing empty cells; pad so every row has every column
            values = [None if cell is None else str(cell) for cell in row[:width]]
            batch.append(values + [None] * (width - len(values)))
            if len(batch) == chunksize:
                yield _frame(batch, header)
                batch = []
        if batch:
            yield _frame(batch, header)
    finally:
        workbook.close()


def _frame(batch: list[list[str | None]], header: list[str]) -> pd.DataFrame:
    return pd.DataFrame(batch, columns=header, dtype=object)
