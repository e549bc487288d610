"""llama.cpp's server as a column of the evaluator benchmark (`bench_evaluate.py --llama-server PATH`).

A practitioner who wants SmolLM2-135M answers on a laptop runs the GGUF file in llama.cpp. This runs
`llama-server` on the same GGUF file with continuous batching and prompt caching, feeds it the exact
token ids our evaluator decodes (the few-shot prefix and each question, encoded as our engine
encodes them), greedy, with the same token cap and stop strings, N requests in flight for N
parallel slots (``-np``), and times the whole set. A small sweep of ``-np`` picks its best setting;
that setting runs twice, for run-to-run repeatability. No server on PATH and none given: one line
says so and the column is skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PARALLEL = (1, 4, 8, 16)  # -np values tried, in order, stopping when one is no faster than the best


def find_server(given: str | None) -> Path | None:
    found = given or shutil.which("llama-server")
    return Path(found) if found and Path(found).is_file() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, body: dict, timeout: float) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def _wait_ready(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama-server exited with {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("llama-server was not ready in time")


def run(server: Path, gguf: Path, prompts: list[list[int]], cap: int, stop: list[str], parallel: int,
        threads: int | None, log: Path) -> tuple[float, list[str]]:
    """Seconds for all ``prompts`` (token ids) with ``parallel`` slots, and the completion texts in order."""
    port = _free_port()
    context = parallel * (max(map(len, prompts)) + cap + 16)
    cmd = [str(server), "-m", str(gguf), "--port", str(port), "-np", str(parallel), "-c", str(context),
           "--cont-batching", "--cache-prompt", "-t", str(threads or os.cpu_count() or 1)]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        body = lambda ids: {"prompt": ids, "n_predict": cap, "temperature": 0.0, "top_k": 1,  # noqa: E731
                            "stop": stop, "cache_prompt": True}
        start = time.perf_counter()
        with ThreadPoolExecutor(parallel) as pool:
            answers = list(pool.map(lambda ids: _post(f"{url}/completion", body(ids), 3600)["content"], prompts))
        return time.perf_counter() - start, answers
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def sweep(server: Path, gguf: Path, prompts: list[list[int]], cap: int, stop: list[str], threads: int | None,
          work: Path, say) -> tuple[int, float, list[str], list[str]]:
    """Best -np of `PARALLEL` (stopping when one is no faster), then that setting again: (np, seconds,
    completions, completions of the second run)."""
    results: dict[int, tuple[float, list[str]]] = {}
    best = None
    for parallel in PARALLEL:
        seconds, texts = run(server, gguf, prompts, cap, stop, parallel, threads, work / f"llama-np{parallel}.log")
        results[parallel] = (seconds, texts)
        say(f"  llama.cpp (llama-server -np {parallel:>2}):     {seconds:7.1f}s  {len(prompts) / seconds:.3f} items/s")
        if best is not None and seconds >= results[best][0]:
            break
        best = parallel if best is None or seconds < results[best][0] else best
    _, again = run(server, gguf, prompts, cap, stop, best, threads, work / f"llama-np{best}-again.log")
    return best, results[best][0], results[best][1], again
