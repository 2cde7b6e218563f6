"""Objects of a top-level JSON array, decoded one at a time from a bounded buffer, so a source of
any size is read in constant memory (the standard library has no streaming parser, and none is
among the dependencies)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import IO, Any


class JsonStreamError(ValueError):
    """The JSON is not an array of objects, or is malformed; the message says where."""


JSON_BLOCK = 1 << 16
JSON_MAX_ROW = 16 * 1024 * 1024


def json_array_objects(handle: IO[bytes], block: int = JSON_BLOCK) -> Iterator[dict]:
    """The objects of a top-level JSON array, decoded one at a time from a bounded buffer, so a
    source of any size is read in constant memory (the standard library has no streaming
    parser, and none is among the dependencies)."""
    reader = io.TextIOWrapper(handle, encoding="utf-8-sig")
    try:
        yield from _array_objects(_JsonStream(reader, block))
    finally:
        reader.detach()  # leave the caller's handle open: it is read again for the push


def _array_objects(stream: _JsonStream) -> Iterator[dict]:
    if stream.next_char() != "[":
        raise JsonStreamError("A JSON source must be an array of objects")
    stream.pos += 1
    if stream.next_char() == "]":
        return
    while True:
        row = stream.decode()
        if not isinstance(row, dict):
            raise JsonStreamError("A JSON source must be an array of objects")
        yield row
        separator = stream.next_char()
        stream.pos += 1
        if separator == "]":
            return
        if separator != ",":
            raise JsonStreamError(f"The JSON source is malformed near character {stream.offset}")


class _JsonStream:
    def __init__(self, reader: IO[str], block: int):
        self.reader, self.block = reader, block
        self.buffer, self.pos, self.consumed, self.eof = "", 0, 0, False

    @property
    def offset(self) -> int:
        return self.consumed + self.pos

    def fill(self) -> None:
        more = self.reader.read(self.block)
        self.eof = not more
        self.consumed += self.pos
        self.buffer, self.pos = self.buffer[self.pos :] + more, 0

    def next_char(self) -> str:
        """The next non-blank character (not consumed)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos].isspace():
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if self.eof:
                raise JsonStreamError("The JSON source ends early: the array is not closed")
            self.fill()

    def decode(self) -> Any:
        self.next_char()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                # Most often the value continues past the buffer: read more, up to a bound.
                if self.eof or len(self.buffer) - self.pos > JSON_MAX_ROW:
                    raise JsonStreamError(
                        f"The JSON source is malformed near character {self.offset}: {error.msg}"
                    ) from error
                self.fill()
                continue
            self.pos = end
            return value


_DECODER = json.JSONDecoder()
