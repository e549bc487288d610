"""A resumable, batched GSM8K run: run.json (what made it) and samples.jsonl (one line per item).

The run folder is named by a hash of everything that can change outputs (model and revision,
backend, dtype, data set hash, prompt hashes, decoding settings, library versions), not batch size.
Lines are appended and flushed per batch; a rerun skips (prompting, index) pairs already written.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, Iterable

from artifact import paths
from artifact.errors import RunMismatch
from artifact.evaluate.dataset import Dataset, Item
from artifact.evaluate.extract import extract, is_correct
from artifact.evaluate.models import ModelSpec
from artifact.evaluate.prompting import STOP, STYLES, PromptStyle

FORMAT = 1
MAX_NEW_TOKENS = {"standard": 64, "cot": 256}
PACKAGES = ("torch", "transformers", "gguf", "vllm")


@dataclass(frozen=True)
class Sample:
    """One line of samples.jsonl."""

    version: int
    index: int
    prompting: str
    completion: str
    extracted: str | None
    rule: str
    gold: str
    correct: bool
    prompt_tokens: int
    completion_tokens: int


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def run_config(spec: ModelSpec, backend: str, dtype: str, data: Dataset, shots: int,
               max_new_tokens: dict[str, int] | None = None) -> dict:
    """Everything that can change the outputs; its hash names the run."""
    styles = {name: make(shots) for name, make in STYLES.items()}
    return {
        "format": FORMAT,
        "model": {"name": spec.name, "source": spec.source, "revision": spec.revision, "gguf_file": spec.gguf_file},
        "backend": backend, "dtype": dtype,
        "dataset": {"name": "GSM8K test", "sha256": data.sha256, "items": len(data.items)},
        "prompts": {name: {"sha256": s.sha256, "shots": shots} for name, s in styles.items()},
        "decoding": {"greedy": True, "max_new_tokens": max_new_tokens or MAX_NEW_TOKENS, "stop": list(STOP)},
        "packages": {k: v for k, v in package_versions().items() if backend == "vllm" or k != "vllm"},
    }


def run_key(config: dict) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in Path(name).name.lower()).strip("-")[:40] or "model"


def _diff(a: dict, b: dict, prefix: str = "") -> str:
    for k in sorted(set(a) | set(b)):
        x, y = a.get(k), b.get(k)
        if isinstance(x, dict) and isinstance(y, dict):
            found = _diff(x, y, f"{prefix}{k}.")
            if found:
                return found
        elif x != y:
            return f"{prefix}{k}: this run has {y!r}, the folder has {x!r}"
    return ""


def read_samples(path: Path) -> list[dict]:
    """Complete lines of samples.jsonl; a torn last line (killed mid-write) is cut off the file."""
    if not path.is_file():
        return []
    raw = path.read_bytes()
    good = raw[: raw.rfind(b"\n") + 1]
    if len(good) != len(raw):
        with open(path, "r+b") as f:
            f.truncate(len(good))
    return [json.loads(line) for line in good.decode("utf-8").splitlines() if line.strip()]


def _write_json(path: Path, doc: dict) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def prepare(config: dict, runs_dir: Path, run_id: str | None) -> Path:
    """The run folder: created with run.json, or checked against the configuration it already holds."""
    key = run_key(config)
    folder = runs_dir / (run_id or f"{_slug(config['model']['name'])}-{key[:10]}")
    meta = folder / "run.json"
    if meta.is_file():
        old = json.loads(meta.read_text(encoding="utf-8"))
        if old.get("key") != key:
            raise RunMismatch(f"{meta} was made with a different configuration ({_diff(old['config'], config)}); "
                              f"refusing to mix outputs - choose another --run-id or delete the folder")
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    _write_json(meta, {"key": key, "config": config, "started_at": _now(), "finished_at": None, "summary": {}})
    return folder


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def summarise(samples: Iterable[dict]) -> dict:
    out: dict[str, dict] = {}
    for s in samples:
        d = out.setdefault(s["prompting"], {"items": 0, "correct": 0, "rules": {}})
        d["items"] += 1
        d["correct"] += bool(s["correct"])
        d["rules"][s["rule"]] = d["rules"].get(s["rule"], 0) + 1
    for d in out.values():
        d["accuracy"] = round(d["correct"] / d["items"], 6)
    return out


def evaluate(backend, folder: Path, data: Dataset, styles: list[PromptStyle], limit: int | None,
             batch_size: int, progress: Callable[[int, int], None] | None = None) -> dict:
    """Generate, extract and score every pending item; append each batch to samples.jsonl."""
    samples_path, meta_path = folder / "samples.jsonl", folder / "run.json"
    caps = json.loads(meta_path.read_text(encoding="utf-8"))["config"]["decoding"]["max_new_tokens"]
    done = {(s["prompting"], s["index"]) for s in read_samples(samples_path)}
    items = list(data.items[:limit] if limit else data.items)
    todo = [(style, item) for style in styles for item in items if (style.name, item.index) not in done]
    total, finished = len(styles) * len(items), len(styles) * len(items) - len(todo)
    if progress:
        progress(finished, total)
    with open(samples_path, "a", encoding="utf-8") as out:
        for style in styles:
            pending = [item for s, item in todo if s is style]
            for start in range(0, len(pending), batch_size):
                batch = pending[start:start + batch_size]
                generations = backend.generate(style, [i.question for i in batch], caps[style.name])
                lines = [json.dumps(asdict(_sample(style, item, g)), ensure_ascii=False) + "\n"
                         for item, g in zip(batch, generations)]
                out.write("".join(lines))
                out.flush()
                os.fsync(out.fileno())
                finished += len(batch)
                if progress:
                    progress(finished, total)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["summary"] = summarise(read_samples(samples_path))
    meta["finished_at"] = _now()
    meta["revision_loaded"] = getattr(backend, "revision", None)
    meta["parameters"] = getattr(backend, "parameters", None)
    _write_json(meta_path, meta)
    return meta["summary"]


def _sample(style: PromptStyle, item: Item, g) -> Sample:
    found = extract(g.completion)
    return Sample(FORMAT, item.index, style.name, g.completion, found.answer, found.rule, item.gold,
                  is_correct(found.answer, item.gold), g.prompt_tokens, g.completion_tokens)


def default_runs_dir() -> Path:
    return paths.RUNS_DIR


def timer() -> Callable[[int, int], None]:
    """A tqdm progress bar fed with (finished, total), showing items/s and time left."""
    from tqdm import tqdm

    bar = None
    start = time.perf_counter()

    def update(finished: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, initial=finished, unit="item", dynamic_ncols=True, smoothing=0.1)
        bar.update(finished - bar.n)
        if finished >= total:
            bar.close()
            print(f"{total} items in {time.perf_counter() - start:.0f}s")

    return update
