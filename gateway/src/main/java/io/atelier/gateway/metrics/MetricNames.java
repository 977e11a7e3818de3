package io.atelier.gateway.metrics;

/**
 * Every metric the gateway defines, in Micrometer's dotted form. Prometheus sees them with dots as
 * underscores and counters suffixed {@code _total}: {@code atelier.pipeline.samples} is scraped as
 * {@code atelier_pipeline_samples_total}. Vert.x adds {@code vertx_http_server_*}, the JVM binders
 * {@code jvm_*}, {@code process_*} and {@code system_*}.
 */
public final class MetricNames {

  private MetricNames() {}

  /** Samples through the pipeline, tag {@link #OUTCOME}: accepted, rejected, dropped, ... */
  public static final String PIPELINE_SAMPLES = "atelier.pipeline.samples";

  /**
   * A connector's own running totals ({@code Connector.counters()}), tags {@link #CONNECTION},
   * {@link #TYPE} and {@link #EVENT}: messages received, acknowledged, reconnects, ...
   */
  public static final String CONNECTOR_EVENTS = "atelier.connector.events";

  /** Input a connector rejected, tags {@link #CONNECTION}, {@link #TYPE} and {@link #REASON}. */
  public static final String CONNECTOR_REJECTS = "atelier.connector.rejects";

  /** Samples waiting in the pipeline queue now. */
  public static final String PIPELINE_QUEUED = "atelier.pipeline.queued";

  /** The pipeline queue's capacity in samples. */
  public static final String PIPELINE_CAPACITY = "atelier.pipeline.capacity";

  /** Batches drained from the pipeline queue. */
  public static final String PIPELINE_BATCHES = "atelier.pipeline.batches";

  /** 1 while a connection is CONNECTED, else 0; tags {@link #CONNECTION}, {@link #TYPE}. */
  public static final String CONNECTION_UP = "atelier.connection.up";

  /** 1 for the connection's current state, 0 for the others; tags connection, type, state. */
  public static final String CONNECTION_STATE = "atelier.connection.state";

  /** Samples received per machine; tag {@link #MACHINE}. */
  public static final String MACHINE_SAMPLES = "atelier.machine.samples";

  /** WebSocket clients connected to the live feed. */
  public static final String LIVE_CLIENTS = "atelier.live.clients";

  /** Messages sent to live clients. */
  public static final String LIVE_MESSAGES = "atelier.live.messages";

  /** Live clients disconnected by the gateway; tag {@link #REASON}: slow, auth, protocol. */
  public static final String LIVE_DISCONNECTS = "atelier.live.disconnects";

  /** Updates a live client's pending map had no room for. */
  public static final String LIVE_DROPPED = "atelier.live.dropped";

  /** API requests refused for a missing or wrong token. */
  public static final String HTTP_AUTH_FAILURES = "atelier.http.auth.failures";

  /** API requests refused by the rate limit. */
  public static final String HTTP_RATE_LIMITED = "atelier.http.rate.limited";

  /**
   * For sinks (spool, InfluxDB writer), to be bound by their owners: points by outcome (written,
   * retried, dead-lettered, dropped), tags {@link #SINK} and {@link #OUTCOME}.
   */
  public static final String SINK_POINTS = "atelier.sink.points";

  /** For sinks: points waiting to be written; tag {@link #SINK}. */
  public static final String SINK_BACKLOG = "atelier.sink.backlog";

  public static final String OUTCOME = "outcome";
  public static final String CONNECTION = "connection";
  public static final String TYPE = "type";
  public static final String STATE = "state";
  public static final String MACHINE = "machine";
  public static final String REASON = "reason";
  public static final String EVENT = "event";
  public static final String SINK = "sink";
}
