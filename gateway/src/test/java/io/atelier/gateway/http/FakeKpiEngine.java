package io.atelier.gateway.http;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the KPI engine, training sessions and certificate trust, which are separate parts
 * not merged into this branch yet: no real peer can run here. It answers fixed, recognisable values
 * per machine and line so tests can check that the API shows each caller only its scope. The
 * engine's own behaviour is tested with the engine.
 */
public final class FakeKpiEngine
    implements KpiQueries, TrainingSessions, CertificateTrust, ServerDiscovery {

  public static final String THUMBPRINT = "3b0a7c6e9d1f2a4b5c6d7e8f9a0b1c2d3e4f5a6b";

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  public FakeKpiEngine() {
    sessions.put(
        "s-1",
        new Session(
            "s-1",
            "morning group",
            List.of("cnc-01", "robot-01"),
            "trainer",
            Instant.parse("2026-01-01T08:00:00Z"),
            Optional.empty()));
    sessions.put(
        "s-2",
        new Session(
            "s-2",
            "moulding group",
            List.of("imm-01"),
            "trainer",
            Instant.parse("2026-01-01T09:00:00Z"),
            Optional.empty()));
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public List<String> windows() {
    return List.of("1h", "15m", "8h");
  }

  @Override
  public Optional<Map<String, Object>> machine(String machineId, String window) {
    return Optional.of(Map.of("oee", 0.5, "subject", machineId, "window", window));
  }

  @Override
  public Optional<Map<String, Object>> line(String linePath, String window) {
    return Optional.of(Map.of("oee", 0.4, "subject", linePath));
  }

  @Override
  public Optional<Map<String, Object>> state(String machineId) {
    return Optional.of(Map.of("state", "PRODUCING", "subject", machineId));
  }

  @Override
  public List<Map<String, Object>> downtime(String machineId, String window) {
    return List.of(Map.of("reason", "tool change", "seconds", 120, "count", 2));
  }

  @Override
  public List<Session> list() {
    return sessions.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
  }

  @Override
  public Optional<Session> get(String id) {
    return Optional.ofNullable(sessions.get(id));
  }

  @Override
  public Future<Session> start(String name, List<String> machines, String startedBy) {
    String id = "n-" + ids.incrementAndGet();
    Session s = new Session(id, name, machines, startedBy, Instant.now(), Optional.empty());
    sessions.put(id, s);
    return Future.succeededFuture(s);
  }

  @Override
  public Future<Optional<Session>> stop(String id, String stoppedBy) {
    Session s = sessions.get(id);
    if (s == null) {
      return Future.succeededFuture(Optional.empty());
    }
    Session done =
        new Session(
            s.id(), s.name(), s.machines(), s.startedBy(), s.started(), Optional.of(Instant.now()));
    sessions.put(id, done);
    return Future.succeededFuture(Optional.of(done));
  }

  @Override
  public Future<List<Certificate>> list(String connectionId) {
    return Future.succeededFuture(
        List.of(
            new Certificate(
                THUMBPRINT,
                "CN=Atelier simulator",
                Instant.parse("2030-01-01T00:00:00Z"),
                "rejected")));
  }

  @Override
  public Future<Optional<Certificate>> trust(String connectionId, String thumbprint) {
    if (!thumbprint.equalsIgnoreCase(THUMBPRINT)) {
      return Future.succeededFuture(Optional.empty());
    }
    return Future.succeededFuture(
        Optional.of(
            new Certificate(
                THUMBPRINT,
                "CN=Atelier simulator",
                Instant.parse("2030-01-01T00:00:00Z"),
                "trusted")));
  }

  /** Plugs this fake into a gateway before it starts. */
  public void plugInto(io.atelier.gateway.GatewayApp app) {
    app.http().useKpis(this);
    app.http().useSessions(this);
    app.http().useCertificates(this);
    app.http().useDiscovery(this);
  }

  /** Answers without a server: an empty address space (DiscoverIT talks to a real one). */
  @Override
  public io.atelier.connector.opcua.discovery.OpcUaDiscovery.Result discover(
      io.atelier.connector.opcua.discovery.OpcUaDiscovery.Request request) {
    var space = new io.atelier.connector.opcua.discovery.AddressSpace(List.of(), 1, 0, false);
    return new io.atelier.connector.opcua.discovery.OpcUaDiscovery.Result(
        space,
        io.atelier.connector.opcua.discovery.DiscoveryYaml.render(
            request.connectionId(), request.settings(), space, "fake"),
        java.time.Duration.ZERO);
  }
}
