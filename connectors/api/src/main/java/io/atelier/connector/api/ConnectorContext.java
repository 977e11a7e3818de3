package io.atelier.connector.api;

import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * What a connector gets to work with.
 *
 * @param vertx the gateway's Vert.x instance (for timers and contexts; never block its loops)
 * @param spec the validated connection
 * @param sink where samples go
 * @param dataDir a directory of the connector's own (persistence, certificates), created for it
 */
public record ConnectorContext(Vertx vertx, ConnectionSpec spec, SampleSink sink, Path dataDir) {}
