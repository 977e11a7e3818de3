package io.atelier.gateway.connection;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.Connector;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorFactory;
import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.connector.api.SampleSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's connectors: creates one per configured connection, starts and stops them all, and
 * reports their status. One connection failing, even at creation, never stops the others or the
 * gateway: it shows as ERROR with the reason.
 */
public final class Connections {

  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  // Concurrent: restart() replaces entries while HTTP threads read statuses.
  private final Map<String, Connector> connectors = new ConcurrentHashMap<>();
  private final Map<String, ConnectorStatus> failedToCreate = new ConcurrentHashMap<>();
  private final Map<String, String> types = new LinkedHashMap<>();
  private final Vertx vertx;
  private final ConnectorRegistry registry;
  private final SampleSink sink;
  private final Path dataDir;

  public Connections(
      Vertx vertx,
      ConnectorRegistry registry,
      List<ConnectionSpec> specs,
      SampleSink sink,
      Path dataDir) {
    this.vertx = vertx;
    this.registry = registry;
    this.sink = sink;
    this.dataDir = dataDir;
    for (ConnectionSpec spec : specs) {
      types.put(spec.id(), spec.type());
      create(spec);
    }
  }

  private void create(ConnectionSpec spec) {
    try {
      ConnectorFactory factory =
          registry
              .factory(spec.type())
              .orElseThrow(() -> new IllegalStateException("no connector type " + spec.type()));
      Path dir = dataDir.resolve("connections").resolve(spec.id());
      Files.createDirectories(dir);
      connectors.put(spec.id(), factory.create(new ConnectorContext(vertx, spec, sink, dir)));
      failedToCreate.remove(spec.id());
    } catch (IOException | RuntimeException e) {
      LOG.error(
          "Connection {} ({}) could not be created: {}", spec.id(), spec.type(), e.toString());
      failedToCreate.put(
          spec.id(),
          new ConnectorStatus(State.ERROR, Instant.now(), Optional.of("not created: " + e)));
    }
  }

  /**
   * Replaces the connector of an existing connection with a new one built from {@code spec} (its
   * machines changed through the API) and starts it. Connectors take their machines at creation, so
   * a stop and a fresh start is the one safe way to change them. Completes when the new connector
   * answered its start, whatever it answered.
   */
  public Future<Void> restart(ConnectionSpec spec) {
    if (!types.containsKey(spec.id())) {
      return Future.failedFuture(new IllegalArgumentException("no connection " + spec.id()));
    }
    Connector old = connectors.remove(spec.id());
    Future<Void> stopped =
        old == null
            ? Future.succeededFuture()
            : safe(old::stop)
                .recover(
                    e -> {
                      LOG.warn("Connection {} failed to stop: {}", spec.id(), e.toString());
                      return Future.succeededFuture();
                    });
    return stopped.compose(
        v -> {
          LOG.info(
              "Connection {} restarting with {} machine(s)", spec.id(), spec.machines().size());
          create(spec);
          Connector c = connectors.get(spec.id());
          if (c == null) {
            return Future.succeededFuture();
          }
          return safe(c::start)
              .recover(
                  e -> {
                    LOG.error("Connection {} failed to start: {}", spec.id(), e.toString());
                    return Future.succeededFuture();
                  });
        });
  }

  /** Starts every connector; completes when all have answered, whatever they answered. */
  public Future<Void> startAll() {
    List<Future<Void>> starts = new ArrayList<>();
    connectors.forEach(
        (id, c) ->
            starts.add(
                safe(c::start)
                    .onFailure(
                        e -> LOG.error("Connection {} failed to start: {}", id, e.toString()))));
    return Future.join(starts).<Void>mapEmpty().recover(e -> Future.<Void>succeededFuture());
  }

  /** Stops every connector; completes when all are stopped (or failed to stop). */
  public Future<Void> stopAll() {
    List<Future<Void>> stops = new ArrayList<>();
    connectors.forEach(
        (id, c) ->
            stops.add(
                safe(c::stop)
                    .onFailure(
                        e -> LOG.warn("Connection {} failed to stop: {}", id, e.toString()))));
    return Future.join(stops).<Void>mapEmpty().recover(e -> Future.<Void>succeededFuture());
  }

  public ConnectorStatus status(String connectionId) {
    Connector c = connectors.get(connectionId);
    if (c != null) {
      try {
        return c.status();
      } catch (RuntimeException e) {
        return new ConnectorStatus(State.ERROR, Instant.now(), Optional.of(e.toString()));
      }
    }
    return failedToCreate.getOrDefault(connectionId, ConnectorStatus.stopped());
  }

  /** The connector's running totals ({@link Connector#counters()}); empty if it has none. */
  public Map<String, Long> counters(String connectionId) {
    Connector c = connectors.get(connectionId);
    if (c == null) {
      return Map.of();
    }
    try {
      return c.counters();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  public Optional<Connector> connector(String connectionId) {
    return Optional.ofNullable(connectors.get(connectionId));
  }

  public String type(String connectionId) {
    return types.getOrDefault(connectionId, "");
  }

  /** Connection ids in configuration order. */
  public List<String> ids() {
    return List.copyOf(types.keySet());
  }

  private static Future<Void> safe(java.util.function.Supplier<Future<Void>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
