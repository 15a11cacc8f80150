#!/usr/bin/env bash
# Runs the Spark training benchmark (local[2]) beside single-machine fit: bench/spark-bench.sh [samples] [batch] [epochs]
set -euo pipefail
cd "$(dirname "$0")/.."
CP_FILE=$(mktemp)
mvn -q -B -DskipTests package dependency:build-classpath -pl rnn4j-spark -am -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=provided
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
java --add-modules jdk.incubator.vector $OPENS -cp "rnn4j-spark/target/classes:rnn4j-core/target/classes:$(cat "$CP_FILE")" \
  org.rnn4j.spark.examples.SparkBenchmark "$@" 2> >(grep -v "WARNING: Using incubator" >&2)
rm -f "$CP_FILE"
