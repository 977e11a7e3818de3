package io.atelier.gateway;

import io.atelier.connector.api.MachineRef;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.ConnectionWatch;
import io.atelier.gateway.connection.Connections;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.gateway.connection.OpcUaCertificateTrust;
import io.atelier.gateway.http.HttpApi;
import io.atelier.gateway.http.machines.MachineCatalog;
import io.atelier.gateway.influx.InfluxStorage;
import io.atelier.gateway.influx.StorageMetrics;
import io.atelier.gateway.influx.StorageReadiness;
import io.atelier.gateway.kpi.KpiApi;
import io.atelier.gateway.kpi.KpiEngine;
import io.atelier.gateway.kpi.KpiListener;
import io.atelier.gateway.kpi.KpiLiveBridge;
import io.atelier.gateway.kpi.KpiMachine;
import io.atelier.gateway.kpi.KpiReport;
import io.atelier.gateway.kpi.KpiService;
import io.atelier.gateway.kpi.KpiSnapshotStore;
import io.atelier.gateway.kpi.KpiStorageBridge;
import io.atelier.gateway.kpi.MachineStateChange;
import io.atelier.gateway.live.LiveHub;
import io.atelier.gateway.metrics.GatewayMetrics;
import io.atelier.gateway.pipeline.LastValues;
import io.atelier.gateway.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: Vert.x, the pipeline and its consumers, the connectors and the HTTP server,
 * started and stopped in the right order. Start order is downstream first (pipeline before
 * connectors), stop order is upstream first (connectors before pipeline), so that no sample is ever
 * handed to a component that is not running.
 */
public final class GatewayApp {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);

  private final GatewayConfig config;
  private final Vertx vertx;
  private final LastValues lastValues = new LastValues();
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final MachineCatalog catalog;
  private final LiveHub live;
  private final List<KpiListener> kpiListeners = new CopyOnWriteArrayList<>();
  private final KpiService kpi;
  private final InfluxStorage storage;
  private final Map<String, MachineRef> machineRefs = new ConcurrentHashMap<>();
  private final Pipeline pipeline;
  private final Connections connections;
  private final HttpApi http;
  private final ConnectionWatch connectionWatch;
  private volatile int httpPort = -1;
  private long watchTimer = -1;
  private Future<Void> stopping;

  public GatewayApp(GatewayConfig fileConfig, ConnectorRegistry registry) {
    try {
      Files.createDirectories(fileConfig.gateway().dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the data directory " + fileConfig.gateway().dataDir(), e);
    }
    // Machines added, changed or removed through the API live in an overlay in the data dir.
    this.catalog = MachineCatalog.open(fileConfig, registry);
    GatewayConfig config = catalog.current();
    this.config = config;
    this.vertx = metrics.newVertx();
    this.live = new LiveHub(vertx, config.http().live(), metrics.registry(), lastValues::signals);
    // Machines added through the API join the KPI engine at the next start.
    KpiEngine engine =
        new KpiEngine(
            config.kpi(),
            config.machines().stream().map(m -> new KpiMachine(m.id(), m.ref(), m.kpi())).toList(),
            Clock.systemUTC(),
            new FanOut());
    this.kpi =
        new KpiService(
            vertx,
            engine,
            new KpiSnapshotStore(config.gateway().dataDir().resolve("kpi")),
            config.kpi());
    config.machines().forEach(m -> machineRefs.put(m.id(), m.ref()));
    try {
      this.storage =
          InfluxStorage.open(config.storage(), id -> Optional.ofNullable(machineRefs.get(id)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spool: " + e.getMessage(), e);
    }
    this.pipeline = new Pipeline(config.pipeline(), List.of(lastValues, kpi, live, storage));
    kpiListeners.add(new KpiLiveBridge(live));
    kpiListeners.add(new KpiStorageBridge(pipeline));
    this.connections =
        new Connections(
            vertx, registry, config.connections(), pipeline, config.gateway().dataDir());
    this.connectionWatch = new ConnectionWatch(config, connections, engine::connectionChanged);
    this.http = new HttpApi(vertx, catalog, connections, pipeline, lastValues, live, metrics);
    KpiApi kpiApi = new KpiApi(engine);
    http.useKpis(kpiApi);
    http.useSessions(kpiApi);
    http.useCertificates(new OpcUaCertificateTrust(vertx, connections));
    http.addReadinessCheck(new StorageReadiness(storage));
    bindStorageMetrics();
    metrics.bindPipeline(pipeline);
    metrics.bindConnections(connections);
    metrics.bindMachines(config.machines(), lastValues);
    live.machinesChanged(config.machines());
    catalog.onChange(
        c -> {
          c.machines().forEach(m -> machineRefs.put(m.id(), m.ref()));
          live.machinesChanged(c.machines());
          metrics.bindMachines(c.machines(), lastValues);
        });
  }

  private void bindStorageMetrics() {
    StorageMetrics m = storage.metrics();
    Map<String, LongSupplier> outcomes = new LinkedHashMap<>();
    outcomes.put("spooled", () -> m.snapshot().spooled());
    outcomes.put("written", () -> m.snapshot().written());
    outcomes.put("dead-lettered", () -> m.snapshot().deadLettered());
    outcomes.put("dropped", () -> m.snapshot().dropped());
    outcomes.put("skipped", () -> m.snapshot().skipped());
    outcomes.put("retried", () -> m.snapshot().retries());
    metrics.bindSink("influx", outcomes, () -> m.snapshot().pending());
  }

  /** Hands KPI reports and state changes to every listener (storage, live hub). */
  private final class FanOut implements KpiListener {
    @Override
    public void onKpis(List<KpiReport> reports) {
      for (KpiListener l : kpiListeners) {
        l.onKpis(reports);
      }
    }

    @Override
    public void onStateChanges(List<MachineStateChange> changes) {
      for (KpiListener l : kpiListeners) {
        l.onStateChanges(changes);
      }
    }
  }

  /** Adds a receiver of KPI reports and state changes; it must not block. */
  public void addKpiListener(KpiListener listener) {
    kpiListeners.add(listener);
  }

  /** Starts everything. Unreachable machines do not fail it; a port in use does. */
  public Future<Void> start() {
    // The KPI state is restored before any sample flows, so no part is counted twice.
    storage.start();
    return pipeline
        .start(vertx)
        .compose(v -> kpi.start())
        .compose(v -> http.start())
        .compose(
            port -> {
              httpPort = port;
              LOG.info(
                  "Atelier '{}' serving HTTP on {}:{} with {} connection(s), {} machine(s)",
                  config.gateway().name(),
                  config.http().host(),
                  port,
                  config.connections().size(),
                  config.machines().size());
              watchTimer = vertx.setPeriodic(1_000, id -> connectionWatch.check());
              return connections.startAll();
            });
  }

  /** Stops connectors, drains the pipeline, closes HTTP and Vert.x. Idempotent. */
  public synchronized Future<Void> stop() {
    if (stopping == null) {
      LOG.info("Atelier stopping: connectors first, then draining the pipeline");
      vertx.cancelTimer(watchTimer);
      stopping =
          connections
              .stopAll()
              // Every sample the connectors handed over reaches the KPI engine before its last
              // report and snapshot; those reports still go through the pipeline to storage.
              .compose(v -> pipeline.drained())
              .compose(v -> kpi.stop())
              .compose(v -> pipeline.stop())
              .compose(v -> Future.fromCompletionStage(storage.stop()))
              .compose(v -> http.stop())
              .eventually(vertx::close)
              .onComplete(ar -> metrics.close())
              .onComplete(ar -> LOG.info("Atelier stopped"));
    }
    return stopping;
  }

  public int httpPort() {
    return httpPort;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public LastValues lastValues() {
    return lastValues;
  }

  public KpiService kpi() {
    return kpi;
  }

  public InfluxStorage storage() {
    return storage;
  }

  public Connections connections() {
    return connections;
  }

  public HttpApi http() {
    return http;
  }

  public MachineCatalog catalog() {
    return catalog;
  }

  public LiveHub live() {
    return live;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  public Vertx vertx() {
    return vertx;
  }
}
