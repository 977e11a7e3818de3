package io.atelier.gateway.metrics;

import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.connection.Connections;
import io.atelier.gateway.pipeline.LastValues;
import io.atelier.gateway.pipeline.Pipeline;
import io.atelier.gateway.pipeline.PipelineStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's meters in one Prometheus registry: the pipeline, each connection, each machine's
 * sample count, the live hub, API refusals, Vert.x's HTTP server and the JVM. Most are functions
 * read at scrape time, so nothing on the sample path pays for metrics.
 */
public final class GatewayMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter authFailures;
  private final Counter rateLimited;
  private final Map<String, List<Meter>> machineMeters = new HashMap<>();
  private static final String REJECTED_PREFIX = "rejected.";
  private final Set<String> connectorCounters = new HashSet<>();
  private volatile Connections connections;
  private JvmGcMetrics gc;

  public GatewayMetrics() {
    // Vert.x names a route by every route the request passed ("/api/>/api/>/api/machines", through
    // access control and the body handler): keep the last, the one that answered.
    registry
        .config()
        .meterFilter(
            MeterFilter.replaceTagValues("route", v -> v.substring(v.lastIndexOf('>') + 1)));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    authFailures = Counter.builder(MetricNames.HTTP_AUTH_FAILURES).register(registry);
    rateLimited = Counter.builder(MetricNames.HTTP_RATE_LIMITED).register(registry);
  }

  /** A Vert.x instance that reports its HTTP server (by route, method and status) here. */
  public Vertx newVertx() {
    MicrometerMetricsOptions options =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .addLabels(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    refreshConnectorCounters();
    return registry.scrape();
  }

  public void bindPipeline(Pipeline pipeline) {
    outcome(pipeline, "accepted", PipelineStats::accepted);
    outcome(pipeline, "rejected", PipelineStats::rejected);
    outcome(pipeline, "dropped", PipelineStats::dropped);
    outcome(pipeline, "delivered", PipelineStats::delivered);
    outcome(pipeline, "failed", PipelineStats::failed);
    outcome(pipeline, "derived", PipelineStats::derived);
    FunctionCounter.builder(MetricNames.PIPELINE_BATCHES, pipeline, p -> p.stats().batches())
        .register(registry);
    Gauge.builder(MetricNames.PIPELINE_QUEUED, pipeline, p -> p.stats().queued())
        .register(registry);
    Gauge.builder(MetricNames.PIPELINE_CAPACITY, pipeline, p -> p.stats().capacity())
        .register(registry);
  }

  private void outcome(Pipeline pipeline, String outcome, ToDoubleFunction<PipelineStats> value) {
    FunctionCounter.builder(
            MetricNames.PIPELINE_SAMPLES, pipeline, p -> value.applyAsDouble(p.stats()))
        .tag(MetricNames.OUTCOME, outcome)
        .register(registry);
  }

  private final List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * A sink's point counters by outcome and its backlog, read from the sink's own counters.
   *
   * @param outcomes outcome name (written, dead-lettered, dropped, ...) to a counter reading
   */
  public void bindSink(
      String sink,
      java.util.Map<String, java.util.function.LongSupplier> outcomes,
      java.util.function.LongSupplier backlog) {
    // Micrometer holds gauge and counter state weakly: keep the suppliers alive here.
    held.add(outcomes);
    held.add(backlog);
    outcomes.forEach(
        (outcome, value) ->
            FunctionCounter.builder(MetricNames.SINK_POINTS, value, v -> v.getAsLong())
                .tag(MetricNames.SINK, sink)
                .tag(MetricNames.OUTCOME, outcome)
                .register(registry));
    Gauge.builder(MetricNames.SINK_BACKLOG, backlog, b -> b.getAsLong())
        .tag(MetricNames.SINK, sink)
        .register(registry);
  }

  /** Status gauges per connection, read live (so a restarted connector is still reported). */
  public void bindConnections(Connections connections) {
    this.connections = connections;
    refreshConnectorCounters();
    for (String id : connections.ids()) {
      String type = connections.type(id);
      Gauge.builder(
              MetricNames.CONNECTION_UP,
              connections,
              c -> c.status(id).state() == State.CONNECTED ? 1 : 0)
          .tag(MetricNames.CONNECTION, id)
          .tag(MetricNames.TYPE, type)
          .register(registry);
      for (State state : State.values()) {
        Gauge.builder(
                MetricNames.CONNECTION_STATE,
                connections,
                c -> c.status(id).state() == state ? 1 : 0)
            .tag(MetricNames.CONNECTION, id)
            .tag(MetricNames.TYPE, type)
            .tag(MetricNames.STATE, state.name())
            .register(registry);
      }
    }
  }

  /**
   * Registers a counter for every connector counter name not seen before (connectors may add names
   * as they go, e.g. a rejection reason). Values are read live from the connection, so a restarted
   * connector is followed; its counters then start again from zero, which Prometheus reads as a
   * counter reset.
   */
  private synchronized void refreshConnectorCounters() {
    Connections conns = connections;
    if (conns == null) {
      return;
    }
    for (String id : conns.ids()) {
      String type = conns.type(id);
      for (String name : conns.counters(id).keySet()) {
        if (!connectorCounters.add(id + '\u0000' + name)) {
          continue;
        }
        boolean reject = name.startsWith(REJECTED_PREFIX);
        FunctionCounter.builder(
                reject ? MetricNames.CONNECTOR_REJECTS : MetricNames.CONNECTOR_EVENTS,
                conns,
                c -> c.counters(id).getOrDefault(name, 0L))
            .tag(MetricNames.CONNECTION, id)
            .tag(MetricNames.TYPE, type)
            .tag(
                reject ? MetricNames.REASON : MetricNames.EVENT,
                reject ? name.substring(REJECTED_PREFIX.length()) : name)
            .register(registry);
      }
    }
  }

  /** Per-machine sample counters; call again whenever the machine list changes. */
  public synchronized void bindMachines(List<MachineConfig> machines, LastValues lastValues) {
    Set<String> ids = new HashSet<>();
    for (MachineConfig m : machines) {
      ids.add(m.id());
      machineMeters.computeIfAbsent(
          m.id(),
          id ->
              List.of(
                  FunctionCounter.builder(
                          MetricNames.MACHINE_SAMPLES, lastValues, lv -> lv.count(id))
                      .tag(MetricNames.MACHINE, id)
                      .register(registry)));
    }
    machineMeters
        .entrySet()
        .removeIf(
            e -> {
              if (ids.contains(e.getKey())) {
                return false;
              }
              e.getValue().forEach(registry::remove);
              return true;
            });
  }

  public void authFailure() {
    authFailures.increment();
  }

  public void rateLimited() {
    rateLimited.increment();
  }

  /** Releases the GC listener; the registry itself holds no threads. */
  public void close() {
    if (gc != null) {
      gc.close();
      gc = null;
    }
    registry.close();
  }
}
