#!/usr/bin/env bash
# End-to-end gateway benchmark: influxd + mosquitto + simulator load mode + gateway on loopback.
# Usage: bench/run.sh [ceiling] [mqtt-json] [opcua] [mix]   (default: all, under 10 minutes)
# Needs influxd (Debian influxdb 1.6.7), mosquitto, python3 and JDK 17. Figures and method:
# docs/benchmarks.md. Output also goes to bench/results/last-run.log and last-results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f gateway/target/atelier.jar ]; then
  mvn -B -q package -DskipTests
fi
mkdir -p bench/results
python3 bench/harness.py "$@" 2>&1 | tee bench/results/last-run.log
