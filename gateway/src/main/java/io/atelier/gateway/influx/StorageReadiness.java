package io.atelier.gateway.influx;

import io.atelier.gateway.http.ReadinessCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The spool and writer in {@code /ready}: status, reasons and backlog. No I/O. */
public final class StorageReadiness implements ReadinessCheck {

  private final InfluxStorage storage;

  public StorageReadiness(InfluxStorage storage) {
    this.storage = storage;
  }

  @Override
  public String name() {
    return "storage";
  }

  @Override
  public Result check() {
    StorageHealth h = storage.health();
    StorageMetrics.Snapshot m = storage.metrics().snapshot();
    Status status =
        switch (h.status()) {
          case UP -> Status.UP;
          case DEGRADED -> Status.DEGRADED;
          case DOWN -> Status.DOWN;
        };
    return new Result(
        status,
        new JsonObject()
            .put("reasons", new JsonArray(h.reasons()))
            .put("api", m.api())
            .put("spooled", m.spooled())
            .put("written", m.written())
            .put("pending", m.pending())
            .put("deadLettered", m.deadLettered())
            .put("dropped", m.dropped())
            .put("spoolBytes", m.spoolBytes())
            .put("oldestPendingSeconds", m.oldestPendingAge().toSeconds()));
  }
}
