package io.atelier.gateway;

import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.Connections;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.gateway.http.HttpApi;
import io.atelier.gateway.pipeline.LastValues;
import io.atelier.gateway.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
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
  private final Pipeline pipeline;
  private final Connections connections;
  private final HttpApi http;
  private volatile int httpPort = -1;
  private Future<Void> stopping;

  public GatewayApp(GatewayConfig config, ConnectorRegistry registry) {
    this.config = config;
    try {
      Files.createDirectories(config.gateway().dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the data directory " + config.gateway().dataDir(), e);
    }
    this.vertx = Vertx.vertx();
    this.pipeline = new Pipeline(config.pipeline(), List.of(lastValues));
    this.connections =
        new Connections(
            vertx, registry, config.connections(), pipeline, config.gateway().dataDir());
    this.http = new HttpApi(vertx, config, connections, pipeline, lastValues);
  }

  /** Starts everything. Unreachable machines do not fail it; a port in use does. */
  public Future<Void> start() {
    return pipeline
        .start(vertx)
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
              return connections.startAll();
            });
  }

  /** Stops connectors, drains the pipeline, closes HTTP and Vert.x. Idempotent. */
  public synchronized Future<Void> stop() {
    if (stopping == null) {
      LOG.info("Atelier stopping: connectors first, then draining the pipeline");
      stopping =
          connections
              .stopAll()
              .compose(v -> pipeline.stop())
              .compose(v -> http.stop())
              .eventually(vertx::close)
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

  public Connections connections() {
    return connections;
  }

  public Vertx vertx() {
    return vertx;
  }
}
