"""Spreadsheet import: preview every row (new / changed / unchanged, or its errors by row and
column), then commit all of it in one transaction, or nothing."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.forms.models import model_to_dict
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from inventories import bulk, services
from inventories.choices import Criterion
from inventories.forms import DatasetForm
from inventories.import_rules import CellRules, without_gc_pauses
from inventories.models import Dataset, Inventory
from inventories.quality import values_score
from inventories.spreadsheet import COLUMNS, Column, SpreadsheetError, read_rows, unneutralise

TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
BY_NAME = {}
for _column in COLUMNS:
    BY_NAME[_column.header.lower()] = _column
    BY_NAME[_column.field.lower()] = _column


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        where += f", column '{self.column}'" if self.column else ""
        return f"{where}: {self.message}"


@dataclass
class PreviewRow:
    row: int
    title: str
    status: str  # new, changed, unchanged, error
    changes: list[str] = field(default_factory=list)
    instance: Dataset | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def change_labels(self) -> list[str]:
        """The changed fields as the spreadsheet names them (not `criterion_h`)."""
        return list(dict.fromkeys(_label(name) for name in self.changes))


@dataclass
class ImportPreview:
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    kept: int = 0  # datasets in the inventory that the file does not mention

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def count_new(self) -> int:
        return self.count("new")

    @property
    def count_changed(self) -> int:
        return self.count("changed")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")


def _header_map(header: list[str], preview: ImportPreview) -> list[Column | None]:
    mapping: list[Column | None] = []
    seen: set[str] = set()
    for raw in header:
        name = " ".join(raw.split()).lower()
        column = BY_NAME.get(name)
        if not name:
            mapping.append(None)
            continue
        if column is None:
            preview.errors.append(
                RowError(1, raw, "unknown column: rename it to a template column or remove it")
            )
        elif column.field in seen:
            preview.errors.append(RowError(1, raw, "this column appears twice"))
            column = None
        else:
            seen.add(column.field)
        mapping.append(column)
    if "title" not in seen:
        preview.errors.append(RowError(1, "Title", "the required column 'Title' is missing"))
    return mapping


def _convert(column: Column, text: str) -> Any:
    """One cell to a form value; raises ValueError with a readable message."""
    text = unneutralise(text.strip())
    if column.kind == "bool":
        word = text.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"{text!r} is not yes or no")
    if column.kind == "criteria":
        letters = [part.strip().upper() for part in text.replace(",", ";").split(";")]
        letters = [letter for letter in letters if letter]
        bad = [letter for letter in letters if letter not in Criterion.values]
        if bad:
            raise ValueError(f"{', '.join(bad)}: criteria are the letters A to H")
        return letters
    if column.kind == "choice":
        return _match_choice(column, text)
    return text


def _match_choice(column: Column, text: str) -> str:
    if not text:
        return ""
    choices = Dataset._meta.get_field(column.field).choices
    for value, label in choices:
        if text.lower() in {str(value).lower(), str(label).lower()}:
            return value
    allowed = "; ".join(str(label) for _, label in choices)
    raise ValueError(f"{text!r} is not one of: {allowed}")


class _RowReader:
    def __init__(self, inventory: Inventory, preview: ImportPreview, *, fast: bool = True):
        self.inventory = inventory
        self.preview = preview
        existing = list(inventory.datasets.all())
        self.by_uid = {str(d.uid): d for d in existing}
        self.by_title = {d.title.lower(): d for d in existing}
        self.titles = {d.title.lower(): d.pk for d in existing}
        self.file_titles: dict[str, int] = {}
        self.used: set[int] = set()
        self.form = DatasetForm({}, inventory=inventory, titles=self.titles)
        self.defaults = _form_values(Dataset())
        self.rules = CellRules(self.form, _convert, self.defaults) if fast else None

    def error(self, row: int, column: str, message: str) -> None:
        self.preview.errors.append(RowError(row, column, message))

    def read(self, number: int, cells: list[str], mapping: list[Column | None]) -> None:
        if len(cells) > len(mapping) and any(c.strip() for c in cells[len(mapping) :]):
            self.error(number, "", f"{len(cells)} cells, but the header has {len(mapping)}")
            return
        if self.rules is not None and self._read_certified(number, cells, mapping):
            return
        cells_by_field: dict[str, Any] = {}
        instance_uid = ""
        failed: set[str] = set()
        for column, text in zip(mapping, cells, strict=False):
            if column is None:
                continue
            if column.kind == "uid":
                instance_uid = text.strip()
                continue
            try:
                value = _convert(column, text)
            except ValueError as problem:
                self.error(number, column.header, str(problem))
                failed.add(column.field)
                continue
            cells_by_field[column.field] = value
        instance = self._instance(number, instance_uid, cells_by_field.get("title", ""))
        if instance is False:
            self.preview.rows.append(PreviewRow(number, cells_by_field.get("title", ""), "error"))
            return
        # Columns the file leaves out keep the dataset's values (or the defaults, when new).
        data = (_form_values(instance) if instance else self.defaults) | cells_by_field
        self._validate(number, data, instance, failed_columns=failed)

    def _read_certified(self, number: int, cells: list[str], mapping: list[Column | None]) -> bool:
        """The fast path (inventories.import_rules): record the row if it is certainly clean;
        False sends it through the form, which finds and words its errors."""
        uid_text, cleaned = self.rules.read_cells(mapping, cells) or ("", {})
        if "title" not in cleaned:  # a failed cell, or no title: the form says why
            return False
        title_key = " ".join(cleaned["title"].split()).lower()
        try:
            uid = str(uuid.UUID(uid_text)) if uid_text else None
        except ValueError:
            return False
        instance = self.by_uid.get(uid) if uid else self.by_title.get(title_key)
        taken = instance is not None and instance.pk in self.used
        if (uid and instance is None) or taken or title_key in self.file_titles:
            return False
        before = services.dataset_values(instance) if instance else {}
        known = _form_values(instance) if instance else None
        values = self.rules.certify(cleaned, known, instance)
        if values is None:
            return False
        self.file_titles[title_key] = number
        changes = services.changed_fields(before, values) if instance else []
        status = "new" if instance is None else "changed" if changes else "unchanged"
        if instance is not None:
            self.used.add(instance.pk)
        self.preview.rows.append(
            PreviewRow(number, values["title"], status, changes, instance, values)
        )
        return True

    def _instance(self, number: int, uid_text: str, title: str) -> Dataset | bool | None:
        if uid_text:
            try:
                instance = self.by_uid.get(str(uuid.UUID(uid_text)))
            except ValueError:
                instance = None
            if instance is None:
                self.error(number, "ctodp ID", f"{uid_text!r} is not a dataset of this inventory")
                return False
        else:
            instance = self.by_title.get(" ".join(title.split()).lower())
        if instance is not None:
            if instance.pk in self.used:
                self.error(number, "ctodp ID", "another row already updates this dataset")
                return False
            self.used.add(instance.pk)
        return instance

    def _validate(
        self, number: int, data: dict, instance: Dataset | None, failed_columns: set[str]
    ) -> None:
        """Validate the row with the dataset form; report every error not already reported."""
        # Read before validating: a ModelForm writes the cleaned values onto its instance.
        before = services.dataset_values(instance) if instance else {}
        form = self.form
        form.rebind(data, instance or Dataset())
        title_key = " ".join(str(data.get("title", "")).split()).lower()
        if title_key and title_key in self.file_titles:
            self.error(number, "Title", f"duplicate title: row {self.file_titles[title_key]}")
        self.file_titles.setdefault(title_key, number)
        if not form.is_valid() or failed_columns:
            for name, problems in form.errors.items():
                if name in failed_columns:
                    continue
                header = _header_for(name)
                for problem in problems:
                    self.error(number, header, problem)
            self.preview.rows.append(PreviewRow(number, data.get("title", ""), "error"))
            return
        values = form.dataset_data()
        if instance is None:
            self.preview.rows.append(PreviewRow(number, values["title"], "new", values=values))
            return
        changes = services.changed_fields(before, values)
        status = "changed" if changes else "unchanged"
        self.preview.rows.append(
            PreviewRow(number, values["title"], status, changes, instance, values)
        )


def _form_values(dataset: Dataset) -> dict[str, Any]:
    values = model_to_dict(dataset, exclude=["id", "uid", "inventory", "agency"])
    values["criteria"] = dataset.criteria
    return {k: ("" if v is None else v) for k, v in values.items()}


def _label(field_name: str) -> str:
    if field_name in Dataset.CRITERION_FIELDS:
        return BY_NAME["criteria"].header
    column = BY_NAME.get(field_name)
    return column.header if column else str(Dataset._meta.get_field(field_name).verbose_name)


def _header_for(field_name: str) -> str:
    if field_name == "__all__":
        return ""
    column = BY_NAME.get(field_name)
    return column.header if column else field_name


@dataclass
class ParsedSheet:
    """A spreadsheet read once: its rows as strings, or why it could not be read."""

    rows: list[list[str]] = field(default_factory=list)
    error: str = ""


def parse_spreadsheet(raw: bytes, filename: str) -> ParsedSheet:
    limit = settings.CTODP_MAX_UPLOAD_BYTES
    if len(raw) > limit:
        size, most = filesizeformat(len(raw)), filesizeformat(limit)
        return ParsedSheet(error=f"the file is {size}; the limit is {most}")
    try:
        return ParsedSheet(rows=list(read_rows(raw, filename)))
    except SpreadsheetError as problem:
        return ParsedSheet(error=str(problem))


def stored_sheet(record) -> ParsedSheet:
    """The upload of an InventoryImport, parsed once: later previews and the commit read the
    rows kept beside it (a large workbook is not parsed again on every view, issue #15)."""
    storage, name = record.file.storage, f"{record.file.name}.rows.json"
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            return ParsedSheet(**json.loads(handle.read()))
    with record.file.open("rb") as handle:
        parsed = parse_spreadsheet(handle.read(), record.original_name)
    storage.save(name, ContentFile(json.dumps(asdict(parsed)).encode()))
    return parsed


def preview_import(
    *, inventory: Inventory, raw: bytes, filename: str, fast: bool = True
) -> ImportPreview:
    with without_gc_pauses():
        parsed = parse_spreadsheet(raw, filename)
        return preview_parsed(inventory=inventory, parsed=parsed, fast=fast)


def preview_parsed(
    *, inventory: Inventory, parsed: ParsedSheet, fast: bool = True
) -> ImportPreview:
    """`fast=False` validates every row with the whole form (the fast path's reference)."""
    preview = ImportPreview()
    if parsed.error:
        preview.errors.append(RowError(0, "", parsed.error))
        return preview
    with without_gc_pauses():
        return _preview_rows(preview, inventory, parsed, fast)


def _preview_rows(
    preview: ImportPreview, inventory: Inventory, parsed: ParsedSheet, fast: bool
) -> ImportPreview:
    try:
        rows = iter(parsed.rows)
        header = next(rows, None)
        if header is None:
            raise SpreadsheetError("The file is empty.")
        mapping = _header_map(header, preview)
        reader = _RowReader(inventory, preview, fast=fast)
        for number, cells in enumerate(rows, start=2):
            if any(cell.strip() for cell in cells):
                reader.read(number, cells, mapping)
    except SpreadsheetError as problem:
        preview.errors.append(RowError(0, "", str(problem)))
        return preview
    if not preview.rows and not preview.errors:
        preview.errors.append(RowError(0, "", "the file has a header but no datasets"))
    preview.kept = len(reader.by_uid) - len(reader.used)
    return preview


@transaction.atomic
def commit_import(
    *, inventory: Inventory, preview: ImportPreview, acting_user: User | None
) -> tuple[int, int]:
    """Write a clean preview: all rows or, if anything fails, none. Returns (created, updated)."""
    if not preview.ok:
        raise ValidationError("The file has errors; nothing was imported.")
    services.require_editable(inventory)
    with without_gc_pauses():
        _write(inventory, preview, acting_user.pk if acting_user else None)
    return preview.count_new, preview.count_changed


def _write(inventory: Inventory, preview: ImportPreview, user_id: int | None) -> None:
    now = timezone.now()
    new = [
        row.values | {"metadata_score": values_score(row.values)}
        for row in preview.rows
        if row.status == "new"
    ]
    changed = [row.instance for row in preview.rows if row.status == "changed"]
    for row in preview.rows:
        if row.status == "changed":
            for name, value in row.values.items():
                setattr(row.instance, name, value)
            row.instance.refresh_metadata_score()
    bulk.insert_datasets(new, inventory=inventory, user_id=user_id, now=now)
    names = [*services.CONTENT_FIELDS, "metadata_score"]
    bulk.update_datasets(changed, names=names, user_id=user_id, now=now)
