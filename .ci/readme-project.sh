#!/usr/bin/env bash
# The README's promise to a new user, checked as they would: a scratch Maven project whose pom holds the README's
# Maven snippet (the bom and rnn4j-core) and whose only source is the README's first Java block, built against the
# artifacts installed in the local repository, run with the README's JVM flag. Prints one line; exit 1 on failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true install -pl rnn4j-bom,rnn4j-core -am

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
block() { awk -v lang="$1" '$0 == "```" lang { inside = 1; next } inside && $0 == "```" { exit } inside { print }' README.md; }
JAVA_SRC="$(block java)"
CLASS="$(sed -n 's/^public class \([A-Za-z0-9_]*\).*/\1/p' <<<"$JAVA_SRC" | head -1)"
[ -n "$CLASS" ] || { echo "readme-project: the README's first java block declares no public class" >&2; exit 1; }
mkdir -p "$WORK/src/main/java"
printf '%s\n' "$JAVA_SRC" > "$WORK/src/main/java/$CLASS.java"
{
  cat <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>readme-first-model</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
      </plugin>
    </plugins>
  </build>
POM
  block xml
  echo '</project>'
} > "$WORK/pom.xml"

cd "$WORK"
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=cp.txt > build.log 2>&1 \
  || { echo "readme-project: the scratch project does not build:" >&2; cat build.log >&2; exit 1; }
OUT="$(java --add-modules jdk.incubator.vector -cp "target/classes:$(cat cp.txt)" "$CLASS" 2>/dev/null)"
grep -q "Total params: 491" <<<"$OUT" || { echo "readme-project: unexpected output:" >&2; echo "$OUT" >&2; exit 1; }
echo "readme-project: the README's first example built from its Maven snippet and ran ($(grep '^loss' <<<"$OUT" | cut -c1-40)...)"
