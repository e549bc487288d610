"""GSM8K test items, read from a local file (or, online, downloaded and checked against its hash)."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from artifact.errors import DataError
from artifact.strict import decode_utf8, parse_json, split_records

ENV = "ARTIFACT_GSM8K"
URL = "https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/test.jsonl"
SHA256 = "3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14"
GOLD = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # one finite number, as GSM8K writes it (no 'nan', no '1e3')
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "artifact" / "gsm8k-test.jsonl"


@dataclass(frozen=True)
class Item:
    index: int  # 0-based line number in test.jsonl
    question: str
    solution: str
    gold: str  # the number after '####', as written


@dataclass(frozen=True)
class Dataset:
    path: Path
    sha256: str
    items: tuple[Item, ...]


def gold_answer(solution: str) -> str | None:
    if "####" not in solution:
        return None
    return solution.rsplit("####", 1)[1].strip().replace(",", "")


def resolve(path: Path | None) -> Path:
    """--data, else $ARTIFACT_GSM8K, else the download cache (fetched once, when online)."""
    if path is not None:
        return path
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    return CACHE if CACHE.is_file() else _download()


def _download(url: str = URL, sha256: str = SHA256, cache: Path = CACHE) -> Path:
    """Fetch once into the cache with pooch (hash-checked, written under a temporary name, then moved)."""
    import pooch
    import requests

    try:
        return Path(pooch.retrieve(url, known_hash=f"sha256:{sha256}", fname=cache.name, path=cache.parent,
                                   progressbar=False))
    except ValueError:  # pooch's hash mismatch; the bad download is deleted
        raise DataError(url, None, None, "downloaded file does not match the known SHA-256; not used") from None
    except (OSError, requests.RequestException) as exc:
        raise DataError(cache, None, None, f"no GSM8K file given and the download failed ({type(exc).__name__}); "
                                           f"pass --data PATH or set {ENV} to a local test.jsonl") from None


def load(path: Path) -> Dataset:
    """Every item of a GSM8K-format JSONL file; DataError names the file, line and field of a bad one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(path, None, None, f"cannot read the data set: {exc.strerror}") from None
    items = []
    for n, line in split_records(decode_utf8(path, raw, DataError)):
        record = parse_json(path, line, n, DataError)
        if not isinstance(record, dict):
            raise DataError(path, n, None, "expected a JSON object")
        for field in ("question", "answer"):
            if not isinstance(record.get(field), str) or not record[field].strip():
                raise DataError(path, n, field, "missing or not a non-empty string")
        gold = gold_answer(record["answer"])
        if gold is None:
            raise DataError(path, n, "answer", "no '#### <number>' final answer")
        if not GOLD.fullmatch(gold):
            raise DataError(path, n, "answer", f"final answer {gold!r} is not a number")
        items.append(Item(len(items), record["question"], record["answer"], gold))
    if not items:
        raise DataError(path, None, None, "no items")
    return Dataset(path, hashlib.sha256(raw).hexdigest(), tuple(items))
