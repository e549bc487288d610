"""The engine against transformers' `generate` on a GPU, on a random-weight model of SmolLM2-135M's shape.

No download: the model is built from SmolLM2-135M's configuration values with random weights (speed
does not depend on the weights). The probe of issue 26: a 900-token shared prefix, short per-item
suffixes, every item decoding exactly 256 tokens (no end-of-text, no stop strings), at 64 and 512
items, in bfloat16 and float32. For each: items/s of the engine with its decode step replayed as a
CUDA graph, of the same engine run eagerly, and of `generate` over the whole batch (prompts
left-padded); in float32 also how many completions are identical to `generate`'s. Prints one table.

    python benchmarks/bench_gpu.py                 # on a CUDA machine
    python benchmarks/bench_gpu.py --tiny --device cpu --items 4   # a smoke run of the script itself
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# SmolLM2-135M's configuration (its config.json), as LlamaConfig arguments.
SMOLLM2_135M = dict(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                    num_attention_heads=9, num_key_value_heads=3, max_position_embeddings=8192, rope_theta=100000.0,
                    rms_norm_eps=1e-5, tie_word_embeddings=True, hidden_act="silu")
TINY = dict(SMOLLM2_135M, vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
            num_attention_heads=4, num_key_value_heads=2)


def build(config: dict, dtype, device):
    import torch
    import transformers

    torch.manual_seed(0)
    cfg = transformers.LlamaConfig(**config, bos_token_id=None, eos_token_id=None, pad_token_id=0)
    return transformers.LlamaForCausalLM(cfg).to(device=device, dtype=dtype).eval()


def prompts(n: int, prefix_len: int, vocab: int):
    import torch

    g = torch.Generator().manual_seed(1)
    prefix = torch.randint(1, vocab, (prefix_len,), generator=g).tolist()
    lengths = torch.randint(12, 40, (n,), generator=g).tolist()
    return prefix, [torch.randint(1, vocab, (k,), generator=g).tolist() for k in lengths]


def timed(fn, device):
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    out = fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return out, time.perf_counter() - start


def run_engine(model, prefix, suffixes, cap, graphs):
    from artifact.evaluate.engine import SharedPrefixEngine
    from artifact.evaluate.scheduler import generate

    engine = SharedPrefixEngine(model, [], graphs=graphs)
    engine.prefix(prefix)  # once per style in a real run; not part of the per-item cost
    out = dict(generate(engine, prefix, suffixes, cap, len(suffixes)))
    return [out[i] for i in range(len(suffixes))]


def run_generate(model, prefix, suffixes, cap, device):
    import torch

    width = max(len(s) for s in suffixes)
    rows = [[0] * (width - len(s)) + prefix + s for s in suffixes]  # left-padded
    mask = [[0] * (width - len(s)) + [1] * (len(prefix) + len(s)) for s in suffixes]
    with torch.inference_mode():
        out = model.generate(input_ids=torch.tensor(rows, device=device), attention_mask=torch.tensor(mask, device=device),
                             max_new_tokens=cap, min_new_tokens=cap, do_sample=False, pad_token_id=0)
    return out[:, len(rows[0]):].tolist()


def main(argv=None) -> int:
    import torch

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cuda")
    p.add_argument("--items", type=int, nargs="+", default=[64, 512])
    p.add_argument("--dtypes", nargs="+", default=["bfloat16", "float32"])
    p.add_argument("--prefix", type=int, default=900)
    p.add_argument("--cap", type=int, default=256)
    p.add_argument("--tiny", action="store_true", help="a tiny model (to smoke-test this script)")
    args = p.parse_args(argv)
    device = torch.device(args.device)
    torch.backends.cuda.matmul.allow_tf32 = False  # float32 means float32 (the identity check needs it)
    config = TINY if args.tiny else SMOLLM2_135M
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"device: {name}; torch {torch.__version__}; model: random weights, SmolLM2-135M shape"
          f"{' (tiny)' if args.tiny else ''}; prefix {args.prefix} tokens, {args.cap} new tokens per item")
    print(f"{'dtype':<9} {'items':>5} {'engine+graph':>13} {'engine eager':>13} {'generate':>10} {'graph/gen':>9} "
          f"{'identical':>10}")
    for dtype_name in args.dtypes:
        dtype = getattr(torch, dtype_name)
        model = build(config, dtype, device)
        for n in args.items:
            prefix, suffixes = prompts(n, args.prefix, config["vocab_size"])
            cells = {}
            graphs = True if device.type == "cuda" else "eager"
            for key, fn in (("graph", lambda items: run_engine(model, prefix, items, args.cap, graphs)),
                            ("eager", lambda items: run_engine(model, prefix, items, args.cap, False)),
                            ("generate", lambda items: run_generate(model, prefix, items, args.cap, device))):
                try:
                    fn(suffixes[:8])  # warm-up: library handles and kernel choices, not the timed run
                    out, seconds = timed(lambda: fn(suffixes), device)  # a graph is captured inside, as in a run
                    cells[key] = (out, n / seconds)
                except Exception as exc:  # noqa: BLE001 - a failed cell is reported, the table goes on
                    print(f"  {dtype_name} {n} {key}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            rate = {k: f"{v[1]:.2f}/s" for k, v in cells.items()}
            ratio = (f"{cells['graph'][1] / cells['generate'][1]:.2f}x" if {"graph", "generate"} <= set(cells) else "-")
            same = "-"
            if dtype_name == "float32" and {"graph", "generate"} <= set(cells):
                same = f"{sum(a == b for a, b in zip(cells['graph'][0], cells['generate'][0]))}/{n}"
                if "eager" in cells:
                    same += f" (eager {sum(a == b for a, b in zip(cells['eager'][0], cells['generate'][0]))})"
            print(f"{dtype_name:<9} {n:>5} {rate.get('graph', '-'):>13} {rate.get('eager', '-'):>13} "
                  f"{rate.get('generate', '-'):>10} {ratio:>9} {same:>10}", flush=True)
        del model
        if device.type == "cuda":
            torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main())
