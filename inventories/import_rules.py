"""The import's fast path (ADR 0022): DatasetForm's own checks, run once per distinct cell value
instead of once per row.

A 10,000-row file holds few distinct values in most columns (access levels, yes/no, categories),
so each field's form check, its `clean_<field>` method and the model field's validators run once
per distinct value and are remembered. A row is *certified* when every value passes and the
form's cross-field `clean()` adds no error; its values are then exactly what the form would give.
Every other row goes through the whole DatasetForm, which writes the messages. The rules and their
wording therefore exist once, in the form and the model; this module only decides which rows are
certainly clean. tests/inventories/test_import_fast.py runs both paths on hostile rows and
asserts the same preview.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.forms.utils import ErrorDict

from inventories.forms import DatasetForm
from inventories.models import Dataset

_MISSING = object()
FAILED = object()  # a value the form refuses (or might): the row takes the form's path
# clean_title depends on the row (the dataset it updates); it runs per row, not per value.
ROW_DEPENDENT = {"title"}


class CellRules:
    def __init__(self, form: DatasetForm, convert: Callable, defaults: dict[str, Any]):
        self.form, self.convert = form, convert
        self.scratch = Dataset()
        self.model_fields = {
            name: Dataset._meta.get_field(name)
            for name in form.fields
            if name in Dataset._meta._forward_fields_map
        }
        self.names = list(form.fields)
        self.plain_text = {name: self._plain_text_limit(name) for name in self.names}
        self.cache: dict[tuple[str, Hashable], Any] = {}
        self.text_cache: dict[tuple[str, str], Any] = {}
        values = {name: self.clean(name, defaults.get(name)) for name in self.names}
        # A field the file has no column for takes its default; a failing default (the title)
        # only matters if the column is missing, and then the form reports it.
        self.default_values = {k: v for k, v in values.items() if v is not FAILED}

    def _plain_text_limit(self, name: str) -> int | None:
        """The length limit of a field whose checks are exactly a plain CharField's (strip,
        required, at most N characters, no NUL), read from the form and model definitions; None
        for any other field. Such a value is checked here without the form's machinery."""
        field, model_field = self.form.fields[name], self.model_fields.get(name)
        if type(field) is not forms.CharField or not field.strip or model_field is None:
            return None
        if model_field.choices or (
            hasattr(self.form, f"clean_{name}") and name not in ROW_DEPENDENT
        ):
            return None
        validators = [*field.validators, *model_field.validators]
        if any(
            type(v) not in (MaxLengthValidator, ProhibitNullCharactersValidator) for v in validators
        ):
            return None
        limits = [v.limit_value for v in validators if type(v) is MaxLengthValidator]
        return min(limits, default=sys.maxsize)

    def _clean(self, name: str, value: Any) -> Any:
        """The value the form would clean `value` to, or FAILED."""
        limit = self.plain_text.get(name)
        if limit is not None and value.__class__ is str:
            text = value.strip()
            if text and len(text) <= limit and "\x00" not in text:
                return text  # anything else (blank, too long) goes to the form's fields below
        form, field = self.form, self.form.fields[name]
        try:
            cleaned = field.clean(field.widget.value_from_datadict({name: value}, {}, name))
            method = getattr(form, f"clean_{name}", None)
            if method is not None and name not in ROW_DEPENDENT:
                form.cleaned_data = {name: cleaned}
                cleaned = method()
            model_field = self.model_fields.get(name)
            if model_field is not None and not (
                model_field.blank and cleaned in model_field.empty_values
            ):
                model_field.clean(cleaned, self.scratch)
        except ValidationError:
            return FAILED
        return cleaned

    def read_cells(self, mapping: list, cells: list[str]) -> tuple[str, dict[str, Any]] | None:
        """(the ctodp ID cell, the cleaned value of every other cell), or None if any cell fails.
        `convert` turns a cell's text into the form's value (raising ValueError), once per text."""
        cache, cleaned, uid_text = self.text_cache, {}, ""
        for column, text in zip(mapping, cells, strict=False):
            if column is None:
                continue
            if column.kind == "uid":
                uid_text = text.strip()
                continue
            key = (column.field, text)
            result = cache.get(key, _MISSING)
            if result is _MISSING:
                try:
                    result = self.clean(column.field, self.convert(column, text))
                except ValueError:
                    result = FAILED
                cache[key] = result
            if result is FAILED:
                return None
            cleaned[column.field] = result
        return uid_text, cleaned

    def certify(
        self, cleaned: dict[str, Any], instance_values: dict[str, Any] | None, instance=None
    ) -> dict[str, Any] | None:
        """The row's model values when the form would accept it unchanged, else None. The fields
        the file leaves out keep the dataset's values, or the defaults for a new one."""
        if instance_values is None:
            base = self.default_values
        else:
            base = {}
            for name in self.names:
                if name not in cleaned:
                    base[name] = value = self.clean(name, instance_values.get(name))
                    if value is FAILED:
                        return None
        values = base | cleaned
        if len(values) < len(self.names):  # a required field with no column and no default
            return None
        return self._row_rules(values, instance)

    def clean(self, name: str, value: Any) -> Any:
        """The value the form would clean `value` to, or FAILED; once per distinct value."""
        key = (name, tuple(value) if value.__class__ is list else value)
        result = self.cache.get(key, _MISSING)
        if result is _MISSING:
            result = self.cache[key] = self._clean(name, value)
        return result

    def _row_rules(self, cleaned: dict[str, Any], instance: Dataset | None) -> dict | None:
        form = self.form
        form.instance = instance or self.scratch
        form._errors = ErrorDict()
        try:
            form.cleaned_data = cleaned
            cleaned["title"] = form.clean_title()
            form.clean()
        except ValidationError:
            return None
        finally:
            form.instance = self.scratch
        if form._errors:
            return None
        return form.dataset_data()


@contextmanager
def without_gc_pauses() -> Iterator[None]:
    """Hold the cyclic garbage collector while an import builds its rows. Tens of thousands of
    long-lived dicts and lists made it sweep the whole heap again and again: about 40 % of a
    10,000-row preview. The rows hold no cycles worth collecting; the collector runs again
    afterwards as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
