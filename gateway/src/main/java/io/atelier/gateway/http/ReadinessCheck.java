package io.atelier.gateway.http;

import io.vertx.core.json.JsonObject;

/**
 * A component that takes part in {@code /ready}, besides the pipeline and the connections. It must
 * answer at once, without I/O: it is called on the event loop.
 */
public interface ReadinessCheck {

  /** How a component stands: UP, DEGRADED (working with a problem) or DOWN. */
  enum Status {
    UP,
    DEGRADED,
    DOWN
  }

  /**
   * @param status the component's status
   * @param details what an operator needs to see, e.g. the reasons and the backlog
   */
  record Result(Status status, JsonObject details) {}

  String name();

  Result check();
}
