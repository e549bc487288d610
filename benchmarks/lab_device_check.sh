#!/usr/bin/env bash
# The lab's device check, for a machine with a GPU and many cores (run from the repository root):
#   1. the default sweep on the CPU with 16 workers, compared model by model with the shipped sweep
#      (made with 2 workers on a 2-core machine, torch 2.13.0);
#   2. the smoke sweep on the GPU, twice, compared with each other (determinism on CUDA).
# Usage: bash benchmarks/lab_device_check.sh OUTDIR   (needs torch, transformers and pydantic)
set -u
out=${1:?usage: bash benchmarks/lab_device_check.sh OUTDIR}
mkdir -p "$out"
export PYTHONUNBUFFERED=1
shipped=$(ls -d artifact/data/lab/default-*)
python3 -c "import torch, transformers; print('torch', torch.__version__, '| transformers', transformers.__version__,
'| GPU', torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none')"
echo "CPU cores: $(nproc)"

SECONDS=0
timeout 300 python3 -m artifact lab --preset default --jobs 16 --out /tmp/cpu16
echo "cpu, 16 workers: ${SECONDS} s wall"
cp /tmp/cpu16/default-*/metrics.csv "$out/cpu16-metrics.csv"
python3 - "$out/cpu16-metrics.csv" "$shipped/metrics.csv" <<'PY'
import csv, sys
a, b = ([r for r in csv.DictReader(open(p))] for p in sys.argv[1:3])
diff = [(x["width"], x["seed"], x["exact_match"], y["exact_match"]) for x, y in zip(a, b) if x != y]
print(f"cpu16 vs shipped: {len(a) - len(diff)} of {len(a)} models identical; differing (width, seed, exact here, shipped):", diff)
PY

for run in 1 2; do
  SECONDS=0
  timeout 120 python3 -m artifact lab --preset smoke --device cuda --jobs 2 --out /tmp/gpu$run
  echo "cuda smoke run $run: ${SECONDS} s wall"
done
for f in metrics.csv predictions.jsonl; do
  if cmp -s /tmp/gpu1/smoke-*/$f /tmp/gpu2/smoke-*/$f; then echo "cuda run 1 vs 2 $f: identical"; else echo "cuda run 1 vs 2 $f: DIFFERENT"; fi
done
