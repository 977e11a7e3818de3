#!/usr/bin/env python3
"""Prints the summary of a JMH JSON result (bench/jmh.sh): per benchmark the elapsed time (JMH's
score, the mean of the iterations, and the best iteration), the JVM's CPU time (cpu.time.norm of
io.atelier.bench.CpuTimeProfiler) and the bytes allocated (gc.alloc.rate.norm), all per unit (a
message or a sample, see the "per" column), and the CPU time per message or batch.

On a loaded machine elapsed time includes the time the benchmark thread spent descheduled; CPU
time and the best iteration are the closer to the code's own cost.
Usage: python3 bench/jmh_table.py bench/results/jmh-last.json
"""
import json
import statistics
import sys

# What one operation is, per benchmark method (see each benchmark's javadoc).
UNITS = {
    "singleValueDecode": ("message (1 sample)", 1),
    "singleValueOnMessage": ("message (1 sample)", 1),
    "batch20Decode": ("sample (20 per message)", 20),
    "batch20OnMessage": ("sample (20 per message)", 20),
    "sparkplug20OnMessage": ("sample (20 per message)", 20),
    "encode": ("sample (batch of 1,000)", 1000),
    "encodeToBytes": ("sample (batch of 1,000)", 1000),
    "append": ("point (batch of 1,000)", 1000),
    "steady": ("sample (20 per batch)", 20),
    "stateChangeEveryEpoch": ("sample (20 per batch)", 20),
    "samplesOnly": ("sample (20 per batch)", 20),
    "handOff": ("sample (20 per message)", 20),
    "jdk": ("float value", 1),
    "appendDouble": ("float value", 1),
}


def main(path):
    with open(path) as f:
        results = json.load(f)
    rows = []
    for r in results:
        full = r["benchmark"]
        cls, method = full.split(".")[-2:]
        params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        name = f"{cls}.{method}" + (f" [{params}]" if params else "")
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        secondary = r.get("secondaryMetrics", {})
        alloc = secondary.get("gc.alloc.rate.norm", {}).get("score")
        cpu = secondary.get("cpu.time.norm", {}).get("score")
        unit, per_batch = UNITS.get(method, ("op", 1))
        rows.append(
            (
                name,
                unit,
                r["primaryMetric"]["score"],
                statistics.median(raw),
                min(raw),
                cpu,
                None if cpu is None else cpu * per_batch,
                alloc,
            )
        )
    print(
        "| benchmark | per | elapsed ns (mean) | elapsed ns (best iteration) | CPU ns "
        "| CPU µs per message or batch | B allocated |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, unit, mean, median, best, cpu, cpu_batch, alloc in rows:
        print(
            f"| {name} | {unit} | {mean:,.0f} | {best:,.0f} | {num(cpu, 0)} "
            f"| {num(None if cpu_batch is None else cpu_batch / 1000, 2)} | {num(alloc, 0)} |"
        )


def num(x, digits):
    return "–" if x is None else f"{x:,.{digits}f}"


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/jmh-last.json")
