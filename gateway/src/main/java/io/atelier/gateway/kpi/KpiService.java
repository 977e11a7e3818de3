package io.atelier.gateway.kpi;

import io.atelier.connector.api.Sample;
import io.atelier.gateway.pipeline.PipelineConsumer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KPI engine inside the running gateway: a {@link PipelineConsumer}, a timer that ticks the
 * engine every emit interval, and snapshots to disk (restored on start, written periodically and on
 * stop, always off the event loop).
 */
public final class KpiService implements PipelineConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(KpiService.class);

  private final Vertx vertx;
  private final KpiEngine engine;
  private final KpiSnapshotStore store;
  private final KpiSettings settings;
  private long tickTimer = -1;
  private long snapshotTimer = -1;
  private boolean writing;

  public KpiService(Vertx vertx, KpiEngine engine, KpiSnapshotStore store, KpiSettings settings) {
    this.vertx = vertx;
    this.engine = engine;
    this.store = store;
    this.settings = settings;
  }

  public KpiEngine engine() {
    return engine;
  }

  @Override
  public String name() {
    return "kpi";
  }

  @Override
  public Future<Void> accept(List<Sample> batch) {
    engine.accept(batch);
    return Future.succeededFuture();
  }

  /**
   * Restores the last snapshot, then starts ticking and snapshotting. Start before samples flow.
   */
  public Future<Void> start() {
    return vertx
        .executeBlocking(store::read)
        .map(
            (Optional<KpiSnapshot> snapshot) -> {
              snapshot.ifPresent(
                  s -> {
                    engine.restore(s);
                    LOG.info(
                        "KPI state restored from {} ({} machine(s))",
                        store.file(),
                        s.machines().size());
                  });
              tickTimer = vertx.setPeriodic(settings.emitInterval().toMillis(), id -> tickSafely());
              snapshotTimer =
                  vertx.setPeriodic(settings.snapshotInterval().toMillis(), id -> writeSnapshot());
              return (Void) null;
            });
  }

  /** Stops the timers and writes a last snapshot. */
  public Future<Void> stop() {
    if (tickTimer >= 0) {
      vertx.cancelTimer(tickTimer);
      vertx.cancelTimer(snapshotTimer);
      tickTimer = -1;
    }
    tickSafely();
    KpiSnapshot snapshot = engine.snapshot();
    return vertx.executeBlocking(
        () -> {
          store.write(snapshot);
          return null;
        });
  }

  private void tickSafely() {
    try {
      engine.tick();
    } catch (RuntimeException e) {
      LOG.error("KPI tick failed", e);
    }
  }

  private void writeSnapshot() {
    if (writing) {
      return;
    }
    writing = true;
    KpiSnapshot snapshot = engine.snapshot();
    vertx
        .executeBlocking(
            () -> {
              store.write(snapshot);
              return null;
            })
        .onComplete(
            ar -> {
              writing = false;
              if (ar.failed()) {
                LOG.warn(
                    "Cannot write the KPI snapshot to {}: {}",
                    store.file(),
                    ar.cause().getMessage());
              }
            });
  }
}
