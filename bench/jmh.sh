#!/usr/bin/env bash
# JMH micro-benchmarks of the per-sample hot paths (module bench/jmh): MQTT payload decode, sample
# to line protocol, spool append, KPI update, pipeline hand-off.
#
# Usage: bench/jmh.sh [regex] [more JMH options]
#   bench/jmh.sh                       # everything, short settings for a 2-core box (~3 minutes)
#   bench/jmh.sh LineProtocol          # benchmarks whose name matches the regex
#   bench/jmh.sh Spool -p fsync=never  # extra arguments go to JMH (java -jar benchmarks.jar -h)
#   JMH_OPTS="-f 2 -wi 5 -i 10" bench/jmh.sh   # longer runs on a quiet machine
#
# Builds bench/jmh/target/benchmarks.jar when it is missing or older than a source file, then runs
# it with -prof gc (gc.alloc.rate.norm = bytes allocated per operation, i.e. per message or per
# sample as each benchmark says) and -prof io.atelier.bench.CpuTimeProfiler (cpu.time.norm = the
# JVM's CPU time per operation, which on a loaded machine is steadier than elapsed time), then
# prints a summary (bench/jmh_table.py: elapsed mean and best iteration, CPU, bytes allocated).
# Output (git-ignored): bench/results/jmh-last.txt (summary and JMH's table), jmh-last.json (every
# iteration), jmh-last.log (the console).
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
# One fork, 5 × 1 s warm-up (the JSON decoders need about 3 s to be compiled), 5 × 1 s measured:
# about 11 s per benchmark, 15 benchmarks.
read -r -a OPTS <<< "${JMH_OPTS:--f 1 -wi 5 -w 1s -i 5 -r 1s}"
OUT=bench/results
CMD=(java -jar "$JAR" "${OPTS[@]}" -prof gc -prof io.atelier.bench.CpuTimeProfiler -rf json -rff "$OUT/jmh-last.json" "$@" "$REGEX")
mkdir -p "$OUT"
echo "$ ${CMD[*]}"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START="$(date -u +%FT%TZ)"
"${CMD[@]}" | tee "$OUT/jmh-last.log"
{
  echo "$ ${CMD[*]}"
  echo "started $START, ended $(date -u +%FT%TZ); load average (1, 5, 15 min) before: $LOAD_BEFORE," \
    "after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
  echo
  python3 bench/jmh_table.py "$OUT/jmh-last.json"
  echo
  sed -n '/^Benchmark /,$p' "$OUT/jmh-last.log"
} > "$OUT/jmh-last.txt"
echo
sed -n '1,/^$/p' "$OUT/jmh-last.txt"
python3 bench/jmh_table.py "$OUT/jmh-last.json"
echo
echo "Results: $OUT/jmh-last.txt (summary and JMH's table), jmh-last.json, jmh-last.log"
