#!/usr/bin/env bash
# JMH micro-benchmarks of the per-sample hot paths (module bench/jmh): MQTT payload decode, sample
# to line protocol, spool append, KPI update, pipeline hand-off.
#
# Usage: bench/jmh.sh [regex] [more JMH options]
#   bench/jmh.sh                       # everything, short settings for a 2-core box (~4 minutes)
#   bench/jmh.sh LineProtocol          # benchmarks whose name matches the regex
#   bench/jmh.sh Spool -p fsync=never  # extra arguments go to JMH (java -jar benchmarks.jar -h)
#   JMH_OPTS="-f 2 -wi 5 -i 10" bench/jmh.sh   # longer runs on a quiet machine
#
# Builds bench/jmh/target/benchmarks.jar when it is missing or older than a source file, then runs
# it with -prof gc (gc.alloc.rate.norm = bytes allocated per operation, i.e. per message or per
# sample as each benchmark says). Output: the console and bench/results/jmh-last.txt (git-ignored).
# Figures and how to read them: docs/benchmarks.md, "Micro-benchmarks (JMH)".
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=bench/jmh/target/benchmarks.jar
if [ ! -f "$JAR" ] || [ -n "$(find bench/jmh/src bench/jmh/pom.xml pom.xml gateway/src/main \
    connectors/api/src/main connectors/mqtt/src/main -newer "$JAR" -type f -print -quit)" ]; then
  echo "Building $JAR ..."
  mvn -B -q -pl bench/jmh -am package -DskipTests
fi
REGEX="${1:-.}"
shift || true
# One fork, 3 × 1 s warm-up, 5 × 1 s measurement: about 10 s per benchmark.
OPTS=(${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s})
CMD=(java -jar "$JAR" "${OPTS[@]}" -prof gc -rf text -rff bench/results/jmh-last.txt "$@" "$REGEX")
mkdir -p bench/results
echo "$ ${CMD[*]}"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"${CMD[@]}" | tee bench/results/jmh-last.log
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$ ${CMD[*]}"
echo "Results: bench/results/jmh-last.txt (table), bench/results/jmh-last.log (full output)"
