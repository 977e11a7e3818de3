#!/usr/bin/env python3
"""Markdown table of a harness run: python3 bench/table.py [bench/results/last-results.json]."""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "bench/results/last-results.json"
with open(path) as f:
    run = json.load(f)
ceiling = run.get("ceiling")
if ceiling:
    print("influxd ceiling: %s points/s (influxd %.2f µs/point)\n"
          % (format(round(ceiling["rate"]), ","), ceiling["influx_cpu_us"]))
print("| scenario | step | offered/s | landed/s | landed | of ceiling | CPU µs/sample | gateway cores "
      "| heap MiB | RSS MiB | set-up s | written p50/p99 ms | live | sustained | load avg |")
print("|" + "---|" * 15)
for r in run["steps"]:
    live = r["live"].replace("LIVE ", "")
    print("| %s | %s | %s | %s | %.2f %% | %s | %.1f | %.2f | %.0f | %.0f | %s | %.0f / %.0f | %s | %s | %s |" % (
        r["scenario"], r["step"], format(round(r["offered_per_s"]), ","),
        format(round(r["landed_per_s"]), ","), 100 * r["landed_ratio"],
        "%.2f" % (r["landed_per_s"] / ceiling["rate"]) if ceiling else "–",
        r["cpu_us_per_sample"], r["gateway_cpu_cores"], r["heap_mib"], r["rss_mib"],
        "%.1f" % r["setup_s"] if r.get("setup_s") else "–",
        r["written_p50_ms"], r["written_p99_ms"], live, r.get("sustained", "–"), r["load_avg"]))
