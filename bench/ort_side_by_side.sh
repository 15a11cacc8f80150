#!/usr/bin/env bash
# Runs rnn4j and the ONNX Runtime Java peer (rnn4j-bench's OrtPeer: rnn4j's own models exported to ONNX) back to
# back on the inference workloads of bench/workloads.json, each workload in its own processes, and prints the
# ratios rnn4j / ONNX Runtime from this one run. Run it on a quiet machine.
# Usage: bench/ort_side_by_side.sh [OUTDIR] [workload ...]   (default: small medium large stream; RNN4J_JAVA as for ./rnn4j)
#        WORKLOADS_FILE=path overrides bench/workloads.json for both sides.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-/tmp/rnn4j-ort-side-by-side}"
shift || true
WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -eq 0 ] && WORKLOADS=(small medium large stream)
FILE="${WORKLOADS_FILE:-$ROOT/bench/workloads.json}"
mkdir -p "$OUT"
cd "$ROOT"
./rnn4j --version >/dev/null   # builds the CLI first if needed, outside the timings
# Compiled in the reactor (nothing installed into ~/.m2); the classpath of rnn4j-bench's dependencies to a file.
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/cp.txt -pl rnn4j-bench -am >&2
CP="$ROOT/rnn4j-bench/target/classes:$(cat rnn4j-bench/target/cp.txt)"
# The JDK ./rnn4j runs on (the newest 17+), so both sides run on one JVM.
pick_java() {
  local best="" best_v=0 cand v
  for cand in ${RNN4J_JAVA:-} ${JAVA_HOME:+$JAVA_HOME/bin/java} /usr/lib/jvm/*/bin/java "$(command -v java 2>/dev/null || true)"; do
    [ -x "$cand" ] || continue
    [ -n "${RNN4J_JAVA:-}" ] && [ "$cand" = "$RNN4J_JAVA" ] && { echo "$cand"; return; }
    v=$("$cand" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)
    v=${v%%.*}
    [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge 17 ] && [ "$v" -gt "$best_v" ] && { best="$cand"; best_v=$v; }
  done
  echo "${best:-java}"
}
JAVA="$(pick_java)"
for w in "${WORKLOADS[@]}"; do
  echo "== $w  (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  ./rnn4j bench --workloads "$FILE" --only "$w" > "$OUT/rnn4j-$w.json"
  "$JAVA" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmn16m -cp "$CP" org.rnn4j.bench.OrtPeer \
      --workloads "$FILE" --only "$w" > "$OUT/ort-$w.json" 2> "$OUT/ort-$w.log"
  cat "$OUT/rnn4j-$w.json" "$OUT/ort-$w.json" >&2
done
python3 - "$OUT" "${WORKLOADS[@]}" <<'PY'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
print("| workload | rnn4j | ONNX Runtime | rnn4j / ORT |")
print("| --- | --- | --- | --- |")
for w in names:
    r = json.loads(open(f"{out}/rnn4j-{w}.json").read().strip().splitlines()[-1])
    o = json.loads(open(f"{out}/ort-{w}.json").read().strip().splitlines()[-1])
    if "us_per_step" in o:  # lower is better: the ratio says how many times faster rnn4j is
        print(f"| {w}, us per step | {r['us_per_step']} | {o['us_per_step']} (arrays {o['us_per_step_arrays']}) | {o['us_per_step'] / r['us_per_step']:.2f}x faster |")
    else:
        print(f"| {w}, inference samples/s | {r['infer_samples_per_s']} | {o['infer_samples_per_s']} | {r['infer_samples_per_s'] / o['infer_samples_per_s']:.2f}x |")
PY
