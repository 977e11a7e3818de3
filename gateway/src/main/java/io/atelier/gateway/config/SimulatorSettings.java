package io.atelier.gateway.config;

import io.atelier.connector.api.config.ConfigNode;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the simulator's control API is, so the dashboard's trainer panel can inject faults through
 * the gateway (which adds access control: the simulator's own API has none). Absent on a gateway
 * that collects from real machines only; the trainer panel then says so.
 *
 * @param controlUrl the simulator control API, e.g. {@code http://localhost:8081}
 * @param timeout how long to wait for it before answering 502
 */
public record SimulatorSettings(Optional<URI> controlUrl, Duration timeout) {

  public static final SimulatorSettings NONE =
      new SimulatorSettings(Optional.empty(), Duration.ofSeconds(5));

  /** Reads the {@code simulator} section; an empty {@code controlUrl} means none. */
  public static SimulatorSettings read(ConfigNode node) {
    Optional<URI> url = node.uri("controlUrl", false, "http", "https");
    Duration timeout = node.duration("timeout", NONE.timeout());
    if (timeout.toMillis() < 100 || timeout.toSeconds() > 60) {
      node.problems().add(node.path("timeout"), "must be between 100ms and 60s", timeout);
      timeout = NONE.timeout();
    }
    node.rejectUnknownKeys();
    return new SimulatorSettings(url, timeout);
  }

  /** A copy pointing at another control API (the demo knows its simulator's port). */
  public SimulatorSettings withControlUrl(URI url) {
    return new SimulatorSettings(Optional.of(url), timeout);
  }
}
