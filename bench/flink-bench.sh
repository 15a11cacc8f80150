#!/usr/bin/env bash
# The rnn4j-flink scale figures for BENCHMARKS.md: events/s per core (LSTM(64), 1e5 keys, MiniCluster parallelism 2,
# heap and RocksDB state, batched and not), state bytes per key, and checkpoint size and time for 1e6 keys on RocksDB.
#   bench/flink-bench.sh                                   # the full run (a few minutes on 2 cores)
#   bench/flink-bench.sh --keys 1000 --checkpoint-keys 10000 --seconds 3 --warmup 2   # a quick look
# Options: --keys K --checkpoint-keys K --units U --batch N --seconds S --warmup S. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# Maven's output only when the build fails (mvn -q still prints colour resets).
LOG="$(mktemp)"
if ! mvn -q -B -DskipTests package -pl rnn4j-flink -am >"$LOG" 2>&1; then cat "$LOG" >&2; rm -f "$LOG"; exit 1; fi
rm -f "$LOG"
# Flink 2.2 supports JDK 17 and 21: the newest of those.
JAVA=java
for j in /usr/lib/jvm/*21*/bin/java /usr/lib/jvm/*17*/bin/java; do [ -x "$j" ] && { JAVA="$j"; break; }; done
# -Drnn4j.threads=1: Flink's two slots already use both cores; rnn4j's own kernel threads would oversubscribe them.
exec "$JAVA" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx6g -Drnn4j.threads=1 \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED \
  -cp "rnn4j-flink/target/rnn4j-flink-0.1.0-SNAPSHOT.jar:rnn4j-flink/target/flink-lib/*" \
  org.rnn4j.flink.bench.FlinkScaleBench "$@" 2> >(grep -v "^WARNING: Using incubator modules\|^SLF4J" >&2)
