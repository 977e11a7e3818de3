#!/usr/bin/env python3
"""End-to-end benchmark of the Atelier gateway; run through bench/run.sh (see docs/benchmarks.md).

Starts influxd and mosquitto on free 127.0.0.1 ports in a temporary directory, then for every step
of every scenario the simulator in load mode and the gateway (`atelier.jar run`), and measures over
a window: samples offered and landed in InfluxDB, gateway CPU per landed sample (/proc), heap
(/metrics) and RSS, latency source time -> written (polling InfluxDB) and -> live WebSocket
(bench/LiveProbe.java). Also InfluxDB's own ceiling (pre-built line protocol posted directly).
Every wait is bounded; only loopback addresses are used.
"""
import calendar
import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "gateway", "target", "atelier.jar")
HZ = os.sysconf("SC_CLK_TCK")
WARMUP_S = float(os.environ.get("BENCH_WARMUP_S", "5"))
WINDOW_S = float(os.environ.get("BENCH_WINDOW_S", "12"))
DRAIN_S = float(os.environ.get("BENCH_DRAIN_S", "10"))
GATEWAY_OPTS = os.environ.get("BENCH_GATEWAY_OPTS", "-Xmx1g").split()
SIM_OPTS = os.environ.get("BENCH_SIM_OPTS", "-Xmx2g").split()
# Starves the load source on purpose (e.g. 19): to test what it offers without a full core.
SIM_NICE = os.environ.get("BENCH_SIM_NICE")
PERIOD_MS = 250
# OPC UA items ask for sampling interval 0: the simulator then reports every change when it happens
# (exception-based). A sampled interval loses a change whenever two fall between two samples: at
# exactly the change period that is aliasing (~8 % lost), at half the period it is every sampling
# pass that comes more than a period late, i.e. whenever the simulator is short of CPU.
UA_SAMPLING_MS = int(os.environ.get("BENCH_UA_SAMPLING_MS", 0))

# scenario -> ramp steps. mqtt: (source, machines, signals) with source "sim" (the simulator's
# load mode, Paho QoS 1, one message per change), "single" or "batched" (bench/MqttLoad.java, QoS 0);
# opcua: (machines, signals) served by the simulator's OPC UA server.
SCENARIOS = {
    "mqtt-json": [{"mqtt": ("single", n, 10)} for n in (625, 1250, 2500)],
    "mqtt-batched": [{"mqtt": ("batched", n, 20)} for n in (500, 1250, 2500, 5000)],
    "opcua": [{"ua": (n, 100)} for n in (50, 100, 200)],
    "mix": [{"mqtt": ("single", 250, 10), "ua": (50, 100)},
            {"mqtt": ("batched", 500, 20), "ua": (100, 100)}],
    "mqtt-json-sim": [{"mqtt": ("sim", n, 10)} for n in (125, 250, 500)],
}
DEFAULT = ["ceiling", "mqtt-json", "mqtt-batched", "opcua", "mix"]


def log(*a):
    print(*a, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, check, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if check():
                return True
        except Exception:
            pass
        time.sleep(0.2)
    raise RuntimeError("timed out after %ss waiting for %s" % (timeout, what))


def http_get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


class Influx:
    def __init__(self, tmp):
        self.port, rpc = free_port(), free_port()
        d = os.path.join(tmp, "influxd")
        os.makedirs(d)
        conf = os.path.join(d, "influxd.conf")
        with open(conf, "w") as f:
            f.write("\n".join([
                "reporting-disabled = true",
                'bind-address = "127.0.0.1:%d"' % rpc,
                "[meta]", '  dir = "%s/meta"' % d, "  logging-enabled = false",
                "[data]", '  dir = "%s/data"' % d, '  wal-dir = "%s/wal"' % d,
                '  wal-fsync-delay = "0s"', "  query-log-enabled = false",
                "[monitor]", "  store-enabled = false",
                "[subscriber]", "  enabled = false",
                "[http]", "  enabled = true", '  bind-address = "127.0.0.1:%d"' % self.port,
                "  auth-enabled = false", "  log-enabled = false", "  pprof-enabled = false",
                "  unix-socket-enabled = false", "  max-row-limit = 0",
                "[ifql]", "  enabled = false",
                "[logging]", '  level = "warn"', "  suppress-logo = true",
                "[[graphite]]", "  enabled = false", "[[collectd]]", "  enabled = false",
                "[[opentsdb]]", "  enabled = false", "[[udp]]", "  enabled = false", ""]))
        self.proc = subprocess.Popen(["influxd", "-config", conf],
                                     stdout=open(os.path.join(d, "log"), "w"),
                                     stderr=subprocess.STDOUT)
        self.url = "http://127.0.0.1:%d" % self.port
        wait_for("influxd", lambda: http_get(self.url + "/ping")[0] == 204, 30)

    def query(self, db, q):
        data = urllib.parse.urlencode({"db": db, "q": q, "epoch": "ms"}).encode()
        req = urllib.request.Request(self.url + "/query", data=data)
        with urllib.request.urlopen(req, timeout=30) as r:
            body = json.loads(r.read())
        res = body["results"][0]
        if "error" in res:
            raise RuntimeError(res["error"])
        return res.get("series", [])

    def count(self, db, where):
        """Samples (fields) landed: the sum of count(*) over every field."""
        series = self.query(db, "SELECT count(*) FROM signals WHERE " + where)
        return sum(v for s in series for v in s["values"][0][1:] if v)

    def cpu_ticks(self):
        return proc_cpu(self.proc.pid)

    def stop(self):
        stop(self.proc)


def proc_cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, clock ticks


def proc_rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def stop(proc, timeout=15):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def start_mosquitto(tmp):
    port = free_port()
    d = os.path.join(tmp, "mosquitto")
    os.makedirs(d)
    conf = os.path.join(d, "mosquitto.conf")
    with open(conf, "w") as f:
        f.write("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n"
                "max_queued_messages 1000000\nmax_inflight_messages 0\n" % port)
    proc = subprocess.Popen(["mosquitto", "-c", conf], stdout=open(os.path.join(d, "log"), "w"),
                            stderr=subprocess.STDOUT)
    wait_for("mosquitto", lambda: socket.create_connection(("127.0.0.1", port), 1).close() or True,
             15)
    return proc, "tcp://127.0.0.1:%d" % port


def influx_ceiling(influx, points=500_000, batch=5000, threads=2):
    """influxd's own rate for pre-built, pre-gzipped line protocol (5,000 lines/request, 2 in
    flight), the same shape the gateway writes: measurement signals, 4 tags, one field."""
    db = "ceiling"
    influx.query("", "CREATE DATABASE " + db)
    t0 = int(time.time() * 1000) - 3_600_000
    bodies = []
    for b in range(points // batch):
        lines = []
        for i in range(batch):
            n = b * batch + i
            lines.append("signals,site=platform,area=hall-a,line=load,machine=load-%04d "
                         "value_%03d=%d.5 %d" % (n % 1000, (n // 1000) % 10, n, t0 + n // 10000))
        bodies.append(gzip.compress("\n".join(lines).encode(), 1))
    warm, bodies = bodies[:len(bodies) // 5], bodies

    def post(chunk):
        c = http.client.HTTPConnection("127.0.0.1", influx.port, timeout=60)
        for body in chunk:
            c.request("POST", "/write?db=%s&precision=ms" % db, body,
                      {"Content-Encoding": "gzip"})
            r = c.getresponse()
            r.read()
            if r.status != 204:
                raise RuntimeError("write %d" % r.status)
        c.close()

    def run(bs):
        ts = [threading.Thread(target=post, args=(bs[i::threads],)) for i in range(threads)]
        cpu0, w0 = influx.cpu_ticks(), time.time()
        [t.start() for t in ts]
        [t.join(120) for t in ts]
        return time.time() - w0, influx.cpu_ticks() - cpu0

    run(warm)
    wall, ticks = run(bodies)
    return {"rate": points / wall, "influx_cpu_us": ticks / HZ / points * 1e6}


def gateway_config(step_dir, influx, db, broker, opcua_port, step, http_port):
    mqtt, ua = step.get("mqtt"), step.get("ua")
    y = ["gateway:", "  name: bench", "  dataDir: %s/gw-data" % step_dir,
         "http:", "  host: 127.0.0.1", "  port: %d" % http_port, "  auth: none",
         "  live: {maxRate: 100, maxPending: 100000}",
         "storage:",
         "  spool: {dir: %s/spool, fsync: batch}" % step_dir,
         "  influx: {url: %s, api: v1, database: %s, precision: ms}" % (influx.url, db),
         "connections:"]
    if mqtt:
        batched = mqtt[0] == "batched"
        y += ["  - id: bench-mqtt", "    type: mqtt", "    settings:",
              "      url: %s" % broker, "      cleanStart: true", "      receiveMaximum: 1000",
              "      subscriptions:",
              '        - topic: "atelier/{site}/{area}/{line}/{machine}%s"' % ("" if batched else "/{signal}"),
              "          qos: 1", "          decoder: %s" % ("json-batch" if batched else "json-value")]
    if ua:
        y += ["  - id: bench-opcua", "    type: opcua", "    settings:",
              "      endpoint: opc.tcp://127.0.0.1:%d/atelier" % opcua_port,
              "      securityPolicy: None", "      allowNone: true", "      trustAll: true",
              "      publishingInterval: 500ms", "      samplingInterval: %dms" % UA_SAMPLING_MS,
              "      queueSize: 10"]
    y.append("machines:")
    if mqtt:
        for i in range(1, mqtt[1] + 1):
            mid = "load-%04d" % i
            y += ["  - id: %s" % mid, "    path: platform/hall-a/load/%s" % mid,
                  "    connection: bench-mqtt", "    signals:"]
            y += ["      - name: value_%03d" % s for s in range(mqtt[2])]
    if ua:
        for i in range(1, ua[0] + 1):
            sim_id = "load-%04d" % i
            mid = sim_id if not mqtt else "ua-%04d" % i
            y += ["  - id: %s" % mid,
                  "    path: platform/hall-a/%s/%s" % ("load-ua" if mqtt else "load", mid),
                  "    connection: bench-opcua", "    signals:"]
            for s in range(ua[1]):
                y += ['      - {name: value_%03d, node: "nsu=urn:atelier:simulator;s=%s/Load/value_%03d"}'
                      % (s, sim_id, s)]
    path = os.path.join(step_dir, "gateway.yaml")
    with open(path, "w") as f:
        f.write("\n".join(y) + "\n")
    return path


def start_simulator(step_dir, name, protocol, n, k, broker, opcua_port):
    args = ["java"] + SIM_OPTS + ["-jar", JAR, "simulate", "--load-machines", str(n),
            "--load-signals", str(k), "--load-period", "%dms" % PERIOD_MS,
            "--load-protocol", protocol, "--control-port", "0",
            "--data-dir", os.path.join(step_dir, name), "--mqtt-url", broker,
            "--opcua-port", str(opcua_port), "--duration", "10m"]
    args.append("--no-opcua" if protocol != "opcua" else "--no-mqtt")
    if SIM_NICE:
        args = ["nice", "-n", SIM_NICE] + args
    logf = os.path.join(step_dir, name + ".log")
    proc = subprocess.Popen(args, stdout=open(logf, "w"), stderr=subprocess.STDOUT)
    wait_for(name + " ready", lambda: "atelier-simulator ready" in open(logf).read(), 90)
    ready = next(l for l in open(logf) if "atelier-simulator ready" in l)
    proc.control_url = ready.split("control=", 1)[1].strip()
    return proc


def load_counters(sim):
    """The simulator's own account of its load boundaries: (late, skipped) so far."""
    try:
        _, body = http_get(sim.control_url + "/machines")
        m = json.loads(body)
        return m.get("load_late_periods", 0), m.get("load_skipped_periods", 0)
    except Exception as e:
        log("   simulator counters unavailable: %r" % e)
        return None


def gateway_log_times(step_dir, gw_start):
    """Set-up milestones from the gateway log: seconds after the gateway's start, and the time the
    connector reports for creating the subscription."""
    out = {}
    try:
        lines = open(os.path.join(step_dir, "gateway.log")).read().splitlines()
    except OSError:
        return out
    marks = {"ua_cert_s": "Created client certificate", "ua_connected_s": "bench-opcua is CONNECTED",
             "ua_subscribed_s": "subscription 1 created"}
    for line in lines:
        for k, needle in marks.items():
            if k not in out and needle in line:
                try:
                    t = calendar.timegm(time.strptime(line[:19], "%Y-%m-%dT%H:%M:%S"))
                    out[k] = round(t + float(line[19:23]) - gw_start, 1)
                except ValueError:
                    pass
        if "ua_subscribe_ms" not in out and "subscription 1 created" in line and " in " in line:
            try:
                out["ua_subscribe_ms"] = int(line.rsplit(" in ", 1)[1].split()[0])
            except (IndexError, ValueError):
                pass
    return out


def heap_mib(http_port):
    _, body = http_get("http://127.0.0.1:%d/metrics" % http_port)
    total = 0.0
    for line in body.decode().splitlines():
        if line.startswith("jvm_memory_used_bytes") and 'area="heap"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total / 1048576


def pipeline_samples(http_port):
    """atelier_pipeline_samples_total by outcome (accepted, rejected, dropped, ...)."""
    out = {}
    try:
        _, body = http_get("http://127.0.0.1:%d/metrics" % http_port)
    except Exception:
        return out
    for line in body.decode().splitlines():
        if line.startswith("atelier_pipeline_samples_total{"):
            outcome = line.split('outcome="', 1)[1].split('"', 1)[0] if 'outcome="' in line else "?"
            out[outcome] = out.get(outcome, 0) + float(line.rsplit(" ", 1)[1])
    return out


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")


def run_step(tmp, influx, broker, scenario, idx, step):
    step_dir = os.path.join(tmp, "%s-%d" % (scenario, idx))
    os.makedirs(step_dir)
    db = "b_%s_%d" % (scenario.replace("-", "_"), idx)
    influx.query("", "CREATE DATABASE " + db)
    mqtt, ua = step.get("mqtt"), step.get("ua")
    mqtt_n = mqtt[1] if mqtt else 0
    ua_n = ua[0] if ua else 0
    expected = (mqtt[1] * mqtt[2] if mqtt else 0) + (ua[0] * ua[1] if ua else 0)
    desc = " + ".join(
        ([("MQTT %s %d machines x %d" % mqtt)] if mqtt else [])
        + (["OPC UA %d machines x %d" % ua] if ua else []))
    log("== %s step %d: %s signals every %d ms = %d samples/s offered"
        % (scenario, idx, desc, PERIOD_MS, expected * 1000 / PERIOD_MS))
    opcua_port, http_port = free_port(), free_port()
    procs = []
    load = None
    sim = None
    try:
        if ua:
            sim = start_simulator(step_dir, "sim-opcua", "opcua", ua[0], ua[1], broker, opcua_port)
            procs.append(sim)
        cfg = gateway_config(step_dir, influx, db, broker, opcua_port, step, http_port)
        gw_start = time.time()
        gw = subprocess.Popen(["java"] + GATEWAY_OPTS + ["-jar", JAR, "run", "--config", cfg],
                              cwd=step_dir, stdout=open(os.path.join(step_dir, "gateway.log"), "w"),
                              stderr=subprocess.STDOUT)
        procs.append(gw)
        wait_for("gateway /health", lambda: http_get("http://127.0.0.1:%d/health" % http_port)[0] == 200, 60)
        if mqtt and mqtt[0] == "sim":
            procs.append(start_simulator(step_dir, "sim-mqtt", "mqtt-json", mqtt[1], mqtt[2], broker, 0))
        elif mqtt:
            time.sleep(2)  # the connector subscribes after /health; QoS 0 before that is lost
            port = int(broker.rsplit(":", 1)[1])
            load = subprocess.Popen(["java", "-Xmx512m", os.path.join(ROOT, "bench", "MqttLoad.java"),
                                     str(port), str(mqtt[1]), str(mqtt[2]), str(PERIOD_MS),
                                     str(int(60 + WARMUP_S + WINDOW_S + 10)), mqtt[0]],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            procs.append(load)
        # Set-up: until every signal has landed at least once (bounded).
        setup = None
        deadline = time.time() + 60
        machines = mqtt_n + ua_n
        while time.time() < deadline:
            series = influx.query(db, "SELECT count(*) FROM signals WHERE time > now() - 10s GROUP BY machine")
            seen = sum(1 for x in series for v in x["values"][0][1:] if v)
            if len(series) >= machines and seen >= expected:
                setup = time.time() - gw_start
                break
            time.sleep(0.5)
        log("   set-up (gateway start -> every signal landed once): %s" %
            ("%.1f s" % setup if setup else "not within 60 s"))
        time.sleep(WARMUP_S)
        probe_machine = "load-0001"
        live = subprocess.Popen(["java", os.path.join(ROOT, "bench", "LiveProbe.java"),
                                 "ws://127.0.0.1:%d/api/live" % http_port, probe_machine,
                                 str(int(WINDOW_S))], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        time.sleep(3)  # the probe compiles itself and subscribes before the window opens
        load0 = os.getloadavg()[0]
        t0 = int(time.time() * 1000)
        cpu0 = proc_cpu(gw.pid)
        sources = [p for p in procs if p is not gw]
        src0 = sum(proc_cpu(p.pid) for p in sources)
        sim0 = load_counters(sim) if sim else None
        pipe0 = pipeline_samples(http_port)
        written_lat = []
        last_seen = None
        while time.time() * 1000 < t0 + WINDOW_S * 1000:
            try:
                s = influx.query(db, "SELECT last(value_000) FROM signals WHERE machine='%s'" % probe_machine)
                ts = s[0]["values"][0][0] if s else None
            except Exception:
                ts = None
            now = time.time() * 1000
            if ts is not None and ts != last_seen:
                if last_seen is not None:
                    written_lat.append(now - ts)
                last_seen = ts
            time.sleep(0.02)
        t1 = int(time.time() * 1000)
        cpu1 = proc_cpu(gw.pid)
        src1 = sum(proc_cpu(p.pid) for p in sources)
        sim1 = load_counters(sim) if sim else None
        pipe1 = pipeline_samples(http_port)
        heap = heap_mib(http_port)
        rss = proc_rss_mib(gw.pid)
        load1 = os.getloadavg()[0]
        live_out = live.communicate(timeout=60)[0].strip().splitlines()
        live_line = next((l for l in live_out if l.startswith("LIVE")), "LIVE failed: " + " | ".join(live_out[-3:]))
        # Period boundaries in [t0, t1): the phase from any landed timestamp of the probe signal.
        phase = last_seen % PERIOD_MS if last_seen else 0
        first = t0 + ((phase - t0) % PERIOD_MS)
        boundaries = len(range(first, t1, PERIOD_MS))
        offered = boundaries * expected
        # Boundaries the simulator skipped (after a stall of more than 40 periods) were never
        # offered; late ones were, with their own source times. Skips are counted when the tick
        # catches up, so this is exact only when the stall did not straddle t0 or t1.
        late = skipped = None
        if sim0 and sim1:
            late, skipped = sim1[0] - sim0[0], sim1[1] - sim0[1]
            offered -= skipped * ua[0] * ua[1]
        where = "time >= %dms AND time < %dms" % (t0, t1)
        landed = 0
        deadline = time.time() + DRAIN_S
        while time.time() < deadline:
            landed = influx.count(db, where)
            if landed >= offered:
                break
            time.sleep(0.5)
        window = (t1 - t0) / 1000
        cpu_s = (cpu1 - cpu0) / HZ
        # Cumulative since the gateway started, read just before the simulator stops and logs how
        # many notifications it sent: more accepted than sent means duplicates.
        pipe_end = pipeline_samples(http_port)
        r = {
            "scenario": scenario, "step": desc,
            "offered_per_s": offered / window, "landed_per_s": landed / window,
            "landed_ratio": landed / offered if offered else 0, "offered": offered, "landed": landed,
            "cpu_us_per_sample": cpu_s / landed * 1e6 if landed else float("nan"),
            "gateway_cpu_cores": cpu_s / window,
            "source_cpu_cores": (src1 - src0) / HZ / window,
            "heap_mib": heap, "rss_mib": rss, "setup_s": setup,
            "written_p50_ms": percentile(written_lat, 0.5), "written_p99_ms": percentile(written_lat, 0.99),
            "live": live_line, "load_avg": "%.2f..%.2f" % (load0, load1),
        }
        # Samples the gateway took in during the window, by outcome: more accepted than landed
        # means duplicates (e.g. OPC UA notifications delivered twice after a Republish).
        r["pipeline"] = {k: int(v - pipe0.get(k, 0)) for k, v in pipe1.items()}
        r["pipeline_total"] = {k: int(v) for k, v in pipe_end.items()}
        if ua:
            r["ua_sampling_ms"] = UA_SAMPLING_MS
            r["source_late_periods"], r["source_skipped_periods"] = late, skipped
            r.update(gateway_log_times(step_dir, gw_start))
        log("   " + json.dumps(r))
        return r
    finally:
        # The simulator first: it logs its subscriptions' diagnostics when it stops, and the
        # gateway would delete its subscription on the way out.
        for p in ([sim] if sim else []) + [p for p in reversed(procs) if p is not sim]:
            stop(p)
        if sim:
            for line in open(os.path.join(step_dir, "sim-opcua.log")):
                if "i.a.s.SimulatorApp - load:" in line or "OPC UA subscription" in line:
                    log("   simulator: " + line.split(" - ", 1)[1].strip())
        if load is not None:
            out = (load.communicate(timeout=10)[0] or "").strip()
            log("   load source: " + (out.splitlines()[-1] if out else "no output"))
        shutil.rmtree(os.path.join(step_dir, "spool"), ignore_errors=True)


def main(argv):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    if not shutil.which("influxd") or not shutil.which("mosquitto"):
        sys.exit("needs influxd (Debian influxdb) and mosquitto on the PATH")
    scenarios = argv or DEFAULT
    tmp = tempfile.mkdtemp(prefix="atelier-bench-")
    log("bench/run.sh %s  (%s UTC, %d cores, load %s, tmp %s)" % (
        " ".join(scenarios), time.strftime("%Y-%m-%dT%H:%M", time.gmtime()), os.cpu_count(),
        "%.2f %.2f %.2f" % os.getloadavg(), tmp))
    influx = Influx(tmp)
    mosq, broker = start_mosquitto(tmp)
    results = []
    ceiling = None
    try:
        if "ceiling" in scenarios:
            l0 = os.getloadavg()[0]
            ceiling = influx_ceiling(influx)
            log("influxd ceiling: %(rate).0f points/s, influxd CPU %(influx_cpu_us).2f us/point" % ceiling
                + "  (load %.2f)" % l0)
        for sc in scenarios:
            if sc == "ceiling":
                continue
            steps = SCENARIOS[sc]
            if os.environ.get("BENCH_STEPS"):  # e.g. BENCH_STEPS=1 runs only the second step
                steps = [steps[int(i)] for i in os.environ["BENCH_STEPS"].split(",")]
            best = None
            for i, step in enumerate(steps):
                r = run_step(tmp, influx, broker, sc, i, step)
                results.append(r)
                # Sustained: >= 99.9% landed within DRAIN_S after the window, with no growing
                # backlog (the newest point written within a second of its source time).
                r["sustained"] = r["landed_ratio"] >= 0.999 and r["written_p50_ms"] < 1000
                log("   sustained: %s" % r["sustained"])
                if r["sustained"]:
                    best = r
                else:
                    break
            if best:
                log("## %s: highest sustained with >= 99.9%% landed: %.0f samples/s%s" % (
                    sc, best["landed_per_s"],
                    "" if not ceiling else " (%.2f of influxd's ceiling)" % (best["landed_per_s"] / ceiling["rate"])))
            else:
                log("## %s: no step reached 99.9%% landed" % sc)
    finally:
        stop(mosq)
        influx.stop()
        with open(os.path.join(ROOT, "bench", "results", "last-results.json"), "w") as f:
            json.dump({"ceiling": ceiling, "steps": results}, f, indent=1)
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
