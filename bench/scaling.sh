#!/usr/bin/env bash
# The scaling table of BENCHMARKS.md: every workload of bench/workloads.json at 1 and at 2 kernel threads, rnn4j and
# the PyTorch peer back to back per workload and thread count (one process each), then the serve workload (K client
# threads sharing one model) at 1 and 2 kernel threads. Prints a Markdown table; raw JSON goes to OUTDIR.
# Usage: bench/scaling.sh [OUTDIR] [workload ...]     Run it on a quiet machine.
# Needs: apt-get install -y python3-torch libopenblas0 python3-threadpoolctl
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-/tmp/rnn4j-scaling}"
shift || true
mkdir -p "$OUT"
cd "$ROOT"
WORKLOADS=("$@")
if [ ${#WORKLOADS[@]} -eq 0 ]; then
  read -r -a WORKLOADS <<< "$(python3 -c 'import json; print(" ".join(json.load(open("bench/workloads.json"))["workloads"]))')"
fi
source "$ROOT/bench/torch_env.sh"   # CORETYPE, VARIANT
./rnn4j --version >/dev/null   # builds first if needed, outside the timings
for w in "${WORKLOADS[@]}"; do
  for t in 1 2; do
    echo "== $w threads=$t (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    OPENBLAS_CORETYPE=$CORETYPE OMP_NUM_THREADS=$t /usr/bin/python3 bench/bench_torch.py --variant $VARIANT \
        --threads $t --out "$OUT/torch-$w-$t.json" --only "$w" > /dev/null 2> "$OUT/torch-$w-$t.log"
    ./rnn4j bench --only "$w" --threads $t > "$OUT/rnn4j-$w-$t.json"
  done
done
for t in 1 2; do
  echo "== serve threads=$t (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  ./rnn4j bench --only serve --clients 8 --threads $t > "$OUT/rnn4j-serve-$t.json"
done
python3 bench/scaling_table.py "$OUT" "${WORKLOADS[@]}"
