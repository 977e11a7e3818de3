#!/usr/bin/env bash
# Storage path benchmark: samples -> spool -> InfluxDB writer -> local influxd 1.6.7, next to
# influxd's raw ceiling (the same points as pre-built line protocol posted directly).
# Needs influxd on the PATH (Debian package influxdb). Usage: bench/influx-writer.sh [points]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl gateway -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
cp="gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/bench-classpath.txt)"
echo "command: bench/influx-writer.sh ${1:-500000}   ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB)"
exec java -Xmx1g -cp "$cp" -Dlogback.configurationFile=/dev/null io.atelier.gateway.influx.InfluxWriterBenchmark "${1:-500000}"
