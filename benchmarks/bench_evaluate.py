"""Throughput of our GSM8K evaluator against lm-evaluation-harness at its best batch size.

    python benchmarks/bench_evaluate.py --data PATH [--limit 64] [--model smollm2-135m] [--threads N]

In one run, each in a fresh process and timed end to end (model load included), chain of thought,
the same first N items of the same file, the same model and dtype (a GGUF model converted once
beforehand, and both tools load that copy: the harness's fastest way to load it too) (wall and CPU seconds are both
shown: on a machine shared with other work, CPU seconds are the steadier comparison):
  1. lm-evaluation-harness, hf backend, its gsm8k_cot task pointed at the local file, at batch sizes
     1, 8, 16 and 32 in turn, stopping when a size is no faster than the best so far;
  2. our evaluator at its default settings;
  3. our evaluator at batch size 1 (the reference for 'identical completions');
  4. llama.cpp's server on the same GGUF file, fed our exact token ids, at its best ``-np`` from a small
     sweep and that setting once more (run-to-run repeatability) -- when ``--llama-server PATH`` is given
     or ``llama-server`` is on PATH; otherwise one line says the column is skipped (`llamacpp.py`).
Prints items/s of each, our speed-up over the harness's best, the exact share of our completions
identical to our batch-1 run, answer agreement with the harness's best run, and the full-run
projection (both styles, 1,319 items each, at this chain-of-thought speed: an upper bound, since
standard prompting is faster). ``--threads`` sets OMP_NUM_THREADS for every process alike.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from artifact.evaluate.extract import extract, normalise  # noqa: E402
from artifact.evaluate import converted  # noqa: E402
from artifact.evaluate.models import resolve  # noqa: E402

OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
HARNESS_BATCHES = (1, 8, 16, 32)
FULL_ITEMS = 1319


CPU = {}  # log path -> CPU seconds (user + system) of that run's process tree


def timed(cmd: list[str], log: Path, env: dict) -> float:
    """Wall seconds of one run; its CPU seconds go to CPU[log] (steadier than wall time on a shared machine)."""
    start = time.perf_counter()
    with open(log, "w") as f:
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, env={**os.environ, **OFFLINE, **env}, cwd=ROOT)
        # wait4 gives this child's own CPU use, so runs in parallel threads are accounted separately.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    CPU[log] = usage.ru_utime + usage.ru_stime
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return time.perf_counter() - start


def ours(model: str, data: Path, limit: int, batch: int | None, work: Path, env: dict) -> tuple[float, dict]:
    work.mkdir()
    cmd = [sys.executable, "-m", "artifact", "evaluate", "--model", model, "--data", str(data), "--prompting", "cot",
           "--limit", str(limit), "--runs-dir", str(work)] + (["--batch-size", str(batch)] if batch else [])
    seconds = timed(cmd, work / "log.txt", env)
    samples = [json.loads(line) for line in next(work.glob("*/samples.jsonl")).read_text().splitlines()]
    return seconds, {s["index"]: s for s in samples}


def harness(model: str, data: Path, limit: int, batch: int, work: Path, env: dict) -> tuple[float, dict]:
    import lm_eval

    work.mkdir()
    base = Path(lm_eval.__file__).parent / "tasks" / "gsm8k" / "gsm8k-cot.yaml"
    tasks = work / "tasks"
    tasks.mkdir()
    (tasks / "gsm8k_cot_local.yaml").write_text(
        f"include: {base}\ntask: gsm8k_cot_local\ndataset_path: json\ndataset_name: null\n"
        f"dataset_kwargs:\n  data_files:\n    test: {data}\ntest_split: test\n", encoding="utf-8")
    spec = resolve(model)
    folder = converted.folder_for(spec)
    if folder is not None and (folder / converted.MARKER).is_file():  # its fastest load: the same converted copy
        args = f"pretrained={folder},dtype=float32"
    else:
        args = f"pretrained={spec.path},dtype=float32" + (f",gguf_file={spec.gguf_file}" if spec.gguf_file else "")
    out = work / "out"
    seconds = timed([sys.executable, "-m", "lm_eval", "--model", "hf", "--model_args", args, "--tasks",
                     "gsm8k_cot_local", "--include_path", str(tasks), "--limit", str(limit), "--batch_size",
                     str(batch), "--log_samples", "--output_path", str(out)], work / "log.txt", env)
    lines = [json.loads(line) for f in out.rglob("samples_gsm8k_cot_local*.jsonl") for line in f.read_text().splitlines()]
    return seconds, {s["doc_id"]: s for s in lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=64)
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--threads", type=int, help="OMP_NUM_THREADS for every run (default: torch's choice)")
    parser.add_argument("--parallel", action="store_true",
                        help="start every run at once (all four harness batch sizes, no stopping rule): on a machine "
                             "busy with other work this exposes every run to the same load; compare CPU seconds")
    parser.add_argument("--harness-batches", type=int, nargs="+", default=list(HARNESS_BATCHES), metavar="N",
                        help="harness batch sizes to try, in order (default: 1 8 16 32, stopping when one is no faster)")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip our batch-1 run (the identical-completions check) to save its time")
    parser.add_argument("--llama-server", help="llama.cpp's llama-server binary (default: the one on PATH, if any)")
    args = parser.parse_args()
    data, n = args.data.resolve(), args.limit
    env = {"OMP_NUM_THREADS": str(args.threads)} if args.threads else {}
    say = lambda text: print(text, flush=True)  # noqa: E731
    say(f"GSM8K chain-of-thought, first {n} items, model {args.model}, {os.cpu_count()} CPUs, "
        f"threads {args.threads or 'default'}, wall time incl. load; load average before: {os.getloadavg()}")
    # Both tools load the same float32 copy of a GGUF model, converted once before timing starts
    # (`evaluate.converted`; from the GGUF file itself each load takes about 35 s more on 2 cores).
    start = time.perf_counter()
    import torch

    converted.load(resolve(args.model), torch.float32)
    folder = converted.folder_for(resolve(args.model))
    say(f"  model: {folder or 'loaded as given'} (made ready in {time.perf_counter() - start:.1f}s, not timed below)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        runs: dict[int, tuple[float, dict]] = {}
        cpus: dict[str, float] = {}
        best = None
        if args.parallel:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(len(args.harness_batches) + 2) as pool:
                jobs = {b: pool.submit(harness, args.model, data, n, b, tmp / f"harness-{b}", env)
                        for b in args.harness_batches}
                mine = pool.submit(ours, args.model, data, n, None, tmp / "ours", env)
                mine_one = pool.submit(ours, args.model, data, n, 1, tmp / "ours-b1", env)
                for b, job in jobs.items():
                    runs[b] = job.result()
                    cpus[f"harness-{b}"] = CPU[tmp / f"harness-{b}" / "log.txt"]
                    say(f"  lm-evaluation-harness (hf, batch {b:>2}): {runs[b][0]:7.1f}s  {n / runs[b][0]:.3f} "
                        f"items/s   CPU {cpus[f'harness-{b}']:7.1f}s  {n / cpus[f'harness-{b}']:.3f} items/CPU-s")
                best = min(runs, key=lambda b: runs[b][0])
                (t_ours, default), (t_one, one) = mine.result(), mine_one.result()
        for batch in args.harness_batches if not args.parallel else ():
            seconds, samples = harness(args.model, data, n, batch, tmp / f"harness-{batch}", env)
            runs[batch] = (seconds, samples)
            cpu = CPU[tmp / f"harness-{batch}" / "log.txt"]
            cpus[f"harness-{batch}"] = cpu
            say(f"  lm-evaluation-harness (hf, batch {batch:>2}): {seconds:7.1f}s  {n / seconds:.3f} items/s   "
                f"CPU {cpu:7.1f}s  {n / cpu:.3f} items/CPU-s")
            if best is not None and seconds >= runs[best][0]:
                break  # no faster than the best so far: larger batches are not tried
            if best is None or seconds < runs[best][0]:
                best = batch
        if not args.parallel:
            t_ours, default = ours(args.model, data, n, None, tmp / "ours", env)
        c_ours = CPU[tmp / "ours" / "log.txt"]
        say(f"  ours (hf, default settings):         {t_ours:7.1f}s  {n / t_ours:.3f} items/s   "
            f"CPU {c_ours:7.1f}s  {n / c_ours:.3f} items/CPU-s")
        one = None
        if not args.parallel and not args.no_reference:
            t_one, one = ours(args.model, data, n, 1, tmp / "ours-b1", env)
        if one is not None:
            c_one = CPU[tmp / "ours-b1" / "log.txt"]
            say(f"  ours (hf, batch 1, the reference):    {t_one:7.1f}s  {n / t_one:.3f} items/s   "
                f"CPU {c_one:7.1f}s  {n / c_one:.3f} items/CPU-s")
    t_best, h = runs[best]
    h_answers = {i: extract(s["resps"][0][0]).answer for i, s in h.items()}
    h_strict = {i: (normalise(s["filtered_resps"][0]) if s["filtered_resps"][0] != "[invalid]" else None)
                for i, s in h.items()}
    agree = sum(h_answers[i] == default[i]["extracted"] for i in range(n))
    agree_strict = sum(h_strict[i] == default[i]["extracted"] for i in range(n) if h_strict[i] is not None)
    strict_n = sum(h_strict[i] is not None for i in range(n))
    rate = n / t_ours
    say(f"  harness best: batch {best}, {n / t_best:.3f} items/s")
    c_best = min(cpus.values())
    say(f"  speed-up over the harness's best: {t_best / t_ours:.2f}x wall (target >= 5x, stretch 10x); "
        f"{c_best / c_ours:.2f}x in CPU seconds against its least CPU-hungry batch size")
    if one is not None:
        same = sum(default[i]["completion"] == one[i]["completion"] for i in range(n))
        differ = [i for i in range(n) if default[i]["completion"] != one[i]["completion"]]
        say(f"  our completions identical to our batch-1 run: {same}/{n} ({100 * same / n:.2f}%, target >= 99%)"
            + (f"; differ: items {differ}" if differ else ""))
    else:
        say("  our completions against our batch-1 run: not checked (--no-reference)")
    say(f"  extracted answers agree with the harness (batch {best}), our extraction on both: {agree}/{n}")
    say(f"  harness strict-match answers equal to ours, where it found one: {agree_strict}/{strict_n}")
    say(f"  full-run projection (2 x {FULL_ITEMS} items at {rate:.3f} items/s): "
        f"{2 * FULL_ITEMS / rate / 60:.1f} min (target < 20 min); in CPU time at {n / c_ours:.3f} items/CPU-s: "
        f"{2 * FULL_ITEMS / (n / c_ours) / 60:.1f} CPU-min")
    llama_column(args, data, n, default, rate, say)
    say(f"  load average after: {os.getloadavg()}")


def llama_column(args, data: Path, n: int, default: dict, ours_rate: float, say) -> None:
    """llama.cpp beside ours: its best -np, speed ratio, repeatability and answer agreement (or one skip line)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import llamacpp

    server = llamacpp.find_server(args.llama_server)
    spec = resolve(args.model)
    if server is None or spec.gguf_file is None:
        say("  llama.cpp: column skipped (" + ("no llama-server: pass --llama-server PATH or put it on PATH"
                                               if server is None else "the model is not a GGUF file") + ")")
        return
    from artifact.evaluate import dataset
    from artifact.evaluate.tasks import GSM8K

    tokenizer, _ = converted.load(spec, __import__("torch").float32)
    style = GSM8K.style("cot")
    encode = lambda text: tokenizer(text, add_special_tokens=False).input_ids  # noqa: E731 - as our engine encodes
    prefix = encode(style.prefix)
    prompts = [prefix + encode(style.suffix(item.question)) for item in dataset.load(data).items[:n]]
    with tempfile.TemporaryDirectory() as tmp:
        best, seconds, texts, again = llamacpp.sweep(server, Path(spec.path) / spec.gguf_file, prompts,
                                                     GSM8K.max_new_tokens["cot"], list(style.stop), args.threads,
                                                     Path(tmp), say)
    texts = [style.truncate(t) for t in texts]
    again = [style.truncate(t) for t in again]
    agree = sum(extract(texts[i]).answer == default[i]["extracted"] for i in range(n))
    same = sum(a == b for a, b in zip(texts, again))
    say(f"  llama.cpp best: -np {best}, {n / seconds:.3f} items/s; run-to-run identical completions {same}/{n}; "
        f"answers agreeing with ours {agree}/{n}")
    say(f"  ours against llama.cpp's best: {ours_rate / (n / seconds):.2f}x (target >= 2x)")


if __name__ == "__main__":
    main()
