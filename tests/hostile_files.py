"""Hostile spreadsheets for the upload limits (ADR 0017), built in a test's tmp_path: workbooks
made with openpyxl and then re-zipped with a doctored sheet, and a CSV as wide as it gets."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def _workbook(path: Path, rows: int = 3) -> Path:
    workbook = Workbook()
    workbook.active.append(["ID", "Town"])
    for n in range(rows):
        workbook.active.append([f"r{n}", "Lyme"])
    workbook.save(path)
    return path


def _rezip(source: Path, target: Path, sheet: bytes) -> Path:
    """The same workbook with its first sheet's XML replaced, maximally compressed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = sheet if item.filename == SHEET else old.read(item.filename)
            new.writestr(item.filename, data, zipfile.ZIP_DEFLATED, compresslevel=9)
    return target


def xlsx_bomb(tmp_path: Path, megabytes: int = 60) -> Path:
    """A few dozen kilobytes that expand to `megabytes` of sheet XML (one long cell)."""
    plain = _workbook(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(plain) as archive:
        xml = archive.read(SHEET)
    filler = b'<row r="5"><c r="A5" t="inlineStr"><is><t>' + b"x" * (megabytes << 20)
    xml = xml.replace(b"</sheetData>", filler + b"</t></is></c></row></sheetData>")
    return _rezip(plain, tmp_path / "bomb.xlsx", xml)


def xlsx_claiming_rows(tmp_path: Path, rows: int = 1_500_000) -> Path:
    """A small workbook whose sheet declares `rows` rows (what openpyxl trusts in read-only)."""
    plain = _workbook(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(plain) as archive:
        xml = archive.read(SHEET)
    xml = re.sub(rb'<dimension ref="[^"]+"', f'<dimension ref="A1:B{rows}"'.encode(), xml)
    return _rezip(plain, tmp_path / "claims.xlsx", xml)


def xlsx_without_dimension(tmp_path: Path, rows: int) -> Path:
    """A workbook that does not declare its size, so only a streaming cap can stop it."""
    plain = _workbook(tmp_path / "plain.xlsx", rows=rows)
    with zipfile.ZipFile(plain) as archive:
        xml = archive.read(SHEET)
    xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
    return _rezip(plain, tmp_path / "undeclared.xlsx", xml)


def wide_csv(tmp_path: Path, columns: int = 100_000) -> Path:
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{n}" for n in range(columns))
    row = ",".join("1" for _ in range(columns))
    path.write_text(f"{header}\n{row}\n{row}\n")
    return path
