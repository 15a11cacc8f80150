#!/usr/bin/env bash
# Runs the PyTorch peer and rnn4j on every workload of bench/workloads.json, back to back per workload and each
# workload in its own process, so the peak RSS (GNU time's maximum resident set size) is per workload.
# Usage: bench/side_by_side.sh [OUTDIR] [workload ...]      (RNN4J_JAVA picks the JDK, as for ./rnn4j)
# Needs: apt-get install -y python3-torch libopenblas0 python3-threadpoolctl time
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-/tmp/rnn4j-side-by-side}"
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
  echo "== $w  (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  OPENBLAS_CORETYPE=$CORETYPE OMP_NUM_THREADS=2 /usr/bin/time -f '%M' -o "$OUT/torch-$w.rss" \
    /usr/bin/python3 bench/bench_torch.py --variant $VARIANT --out "$OUT/torch-$w.json" --only "$w" 2> "$OUT/torch-$w.log"
  /usr/bin/time -f '%M' -o "$OUT/rnn4j-$w.rss" ./rnn4j bench --only "$w" > "$OUT/rnn4j-$w.json"
  cat "$OUT/rnn4j-$w.json" >&2
done
python3 bench/side_by_side_table.py "$OUT"
