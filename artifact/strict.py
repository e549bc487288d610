"""Reading input files strictly, one reader per format: UTF-8 or a message with the byte offset (a
byte-order mark and CRLF line ends accepted), YAML and JSON without duplicate keys, JSON without NaN
or infinity, JSON Lines split on "\n" only (so a U+2028 inside a string is text, not a line end),
CSV without duplicate header columns or over-long fields, and a size limit on every file. Every
failure is one ``error`` (an EvidenceError subclass) naming the file, the line and, where there is
one, the field.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from artifact.errors import EvidenceError

if TYPE_CHECKING:
    import yaml
    from pydantic import ConfigDict

# yaml and pydantic are imported where used: the manifest reads JSON here on every (even no-op) run.
STRICT: ConfigDict = {"frozen": True, "extra": "forbid", "strict": True, "allow_inf_nan": False}
"""The configuration of every evidence and claim record: no coercion ("1" is not 1, 1 is not True),
no NaN or infinity, no unknown fields."""


MAX_BYTES = 512 * 2**20
"""The largest input file read (the shipped GSM8K run is 2 MB; a data set 4 MB): a bigger one is refused
before it is read, not after it has filled the memory."""


def read_utf8(path: Path, error: type[EvidenceError] = EvidenceError, max_bytes: int = MAX_BYTES) -> str:
    """The text of ``path``; ``error`` if it cannot be read, is larger than ``max_bytes`` or is not UTF-8
    (naming line and byte offset)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise error(path, None, None, f"file is {size:,} bytes, more than the {max_bytes:,} this reader accepts")
        data = path.read_bytes()
    except OSError as exc:
        raise error(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    return decode_utf8(path, data, error)


def decode_utf8(path: Path, data: bytes, error: type[EvidenceError] = EvidenceError) -> str:
    """``data`` (read from ``path``) as text; ``error`` naming the line and byte offset if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(path, line, None, f"not UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
                                      f"({exc.reason})") from None


@cache
def _yaml_loader():
    """(StrictLoader, DuplicateKey): a SafeLoader that refuses a key repeated in one mapping (the plain
    one keeps the last value), and the error it raises."""
    import yaml

    class DuplicateKey(yaml.constructor.ConstructorError):
        def __init__(self, key: object, first: yaml.Node, again: yaml.Node):
            super().__init__(None, None, f"duplicate key {key!r} (first on line {first.start_mark.line + 1})",
                             again.start_mark)
            self.key = key

    class StrictLoader(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                seen: dict = {}
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        first = seen.setdefault(key, key_node)
                    except TypeError:  # an unhashable key: the base class reports it
                        break
                    if first is not key_node:
                        raise DuplicateKey(key, first, key_node)
            return super().construct_mapping(node, deep)

    return StrictLoader, DuplicateKey


def load_yaml(path: Path, error: type[EvidenceError] = EvidenceError) -> tuple[yaml.Node | None, object]:
    """The composed node tree (for line numbers) and the data of a one-document YAML file."""
    import yaml

    strict_loader, duplicate_key = _yaml_loader()
    text = read_utf8(path, error)
    loader = None
    try:
        loader = strict_loader(text)  # the reader refuses control characters here already
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except duplicate_key as exc:
        raise error(path, exc.problem_mark.line + 1, str(exc.key), exc.problem) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(path, mark.line + 1 if mark else None, None, f"not valid YAML: {problem}") from None
    except RecursionError:
        raise error(path, None, None, "not valid YAML: nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    return node, data


def line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """Walk a composed YAML node along a pydantic error location; return the 1-based line."""
    import yaml

    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def csv_records(path: Path, text: str, columns: tuple[str, ...],
                error: type[EvidenceError] = EvidenceError) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, record) for each data row of a CSV whose header must be exactly a permutation of ``columns``:
    a missing, unknown or repeated column, a short or long row, or an unparsable row is ``error``."""
    # a byte-order mark (spreadsheet exports) is not part of the first column's name
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader, None) or []
        seen: set[str] = set()
        for name in header:
            if name in seen:
                raise error(path, 1, name, "column appears twice in the header")
            seen.add(name)
        missing = [c for c in columns if c not in seen]
        if missing:
            raise error(path, 1, missing[0], "required column is missing from the header")
        unknown = [c for c in header if c not in columns]
        if unknown:
            raise error(path, 1, unknown[0], "unknown column (expected: " + ", ".join(columns) + ")")
        for cells in reader:
            if not cells:  # a blank line
                continue
            if len(cells) != len(header):
                raise error(path, reader.line_num, None, f"expected {len(header)} cells, found {len(cells)}")
            yield reader.line_num, dict(zip(header, cells))
    except csv.Error as exc:
        line = reader.line_num + (0 if reader.line_num else 1)
        if "field larger than field limit" in str(exc):
            raise error(path, line, None, f"a cell is longer than {csv.field_size_limit():,} characters "
                                          "(the CSV field-size limit)") from None
        raise error(path, line, None, f"not valid CSV: {exc}") from None


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise _JsonDuplicate(key)
        seen[key] = value
    return seen


class _JsonDuplicate(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def parse_json(path: Path, text: str, line: int = 1, error: type[EvidenceError] = EvidenceError) -> object:
    """One JSON value from ``text`` (which starts on ``line`` of ``path``): duplicate keys, NaN and
    infinity (also a number too large for a float) are ``error`` naming the field."""
    try:
        value = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise error(path, line + exc.lineno - 1, None, f"not valid JSON ({exc.msg})") from None
    except _JsonDuplicate as exc:
        raise error(path, _key_line(text, exc.key, line, 1), exc.key,
                    f"key {exc.key!r} appears twice in one object") from None
    except RecursionError:
        raise error(path, None, None, "not valid JSON (nested too deeply)") from None
    found = _non_finite(value, ())
    if found is not None:
        where, number = found
        field = ".".join(map(str, where)) or None
        at = _key_line(text, str(where[-1]), line, 0) if where and isinstance(where[-1], str) else None
        raise error(path, at if "\n" in text else line, field,
                    f"{number} is not a finite number (JSON has no NaN or infinity)")
    return value


def _non_finite(value: object, where: tuple) -> tuple[tuple, float] | None:
    """The location and value of the first NaN or infinity inside a parsed JSON value."""
    if isinstance(value, float) and not math.isfinite(value):
        return where, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _non_finite(item, (*where, key))
        if found is not None:
            return found
    return None


def _key_line(text: str, key: str, line: int, nth: int) -> int | None:
    """The line of the ``nth`` (0-based) ``"key":`` in ``text`` (for messages)."""
    found = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    return line + text.count("\n", 0, found[nth]) if len(found) > nth else None


def load_json(path: Path, error: type[EvidenceError] = EvidenceError, max_bytes: int = MAX_BYTES) -> object:
    """A JSON file read strictly (see parse_json)."""
    return parse_json(path, read_utf8(path, error, max_bytes).removeprefix("\ufeff"), 1, error)


def split_records(text: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each non-blank line of a JSON Lines text: split on "\n" only (str.splitlines would
    also split at U+2028, U+2029, form feeds and others, which JSON allows inside strings), a trailing
    "\r" (CRLF files) dropped."""
    for n, record in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        record = record.removesuffix("\r")
        if record.strip():
            yield n, record


def jsonl_records(path: Path, error: type[EvidenceError] = EvidenceError,
                  max_bytes: int = MAX_BYTES) -> Iterator[tuple[int, object]]:
    """(line, value) of each record of a JSON Lines file read strictly."""
    for n, record in split_records(read_utf8(path, error, max_bytes)):
        yield n, parse_json(path, record, n, error)


def jsonl_line(record: dict) -> str:
    """One JSON Lines record: UTF-8 text as is, except U+2028 and U+2029 escaped, so that no reader that
    splits lines too eagerly can cut a record in two."""
    text = json.dumps(record, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"
