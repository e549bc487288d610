"""Reading input files strictly: UTF-8 or a message with the byte offset, YAML without duplicate keys,
CSV without duplicate header columns or over-long fields. Every failure is one ``error`` (an
EvidenceError subclass) naming the file, the line and, where there is one, the field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import yaml
from pydantic import ConfigDict

from artifact.errors import EvidenceError

STRICT = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)
"""The configuration of every evidence and claim record: no coercion ("1" is not 1, 1 is not True),
no NaN or infinity, no unknown fields."""


def read_utf8(path: Path, error: type[EvidenceError] = EvidenceError) -> str:
    """The text of ``path``; ``error`` if it cannot be read or is not UTF-8 (naming line and byte offset)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(path, line, None, f"not UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
                                      f"({exc.reason})") from None


class _DuplicateKey(yaml.constructor.ConstructorError):
    def __init__(self, key: object, first: yaml.Node, again: yaml.Node):
        super().__init__(None, None, f"duplicate key {key!r} (first on line {first.start_mark.line + 1})",
                         again.start_mark)
        self.key = key


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a key repeated in one mapping (the plain one keeps the last value)."""

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
                    raise _DuplicateKey(key, first, key_node)
        return super().construct_mapping(node, deep)


def load_yaml(path: Path, error: type[EvidenceError] = EvidenceError) -> tuple[yaml.Node | None, object]:
    """The composed node tree (for line numbers) and the data of a one-document YAML file."""
    text = read_utf8(path, error)
    loader = None
    try:
        loader = StrictLoader(text)  # the reader refuses control characters here already
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _DuplicateKey as exc:
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
