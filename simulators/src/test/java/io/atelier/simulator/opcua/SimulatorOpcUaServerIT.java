package io.atelier.simulator.opcua;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator's OPC UA server against a plain Milo client (not the gateway's connector), over
 * real TCP on a loopback port.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SimulatorOpcUaServerIT {

  private static final MachineRef LINE =
      new MachineRef("platform", "hall-a", "machining", "placeholder");

  private static final MachineInfo CNC =
      new MachineInfo(
          "cnc-01",
          "cnc-mill",
          LINE,
          "opcua",
          List.of(
              new SignalDef("spindle_speed", SignalType.DOUBLE, "rpm", "Monitoring/Spindle/Speed"),
              new SignalDef("good_count", SignalType.LONG, "", "Production/GoodCount"),
              new SignalDef("alarm_active", SignalType.BOOLEAN, "", "Alarms/Active"),
              new SignalDef("state", SignalType.STRING, "", "MachineryItemState/CurrentState")));

  private static final MachineInfo ROBOT =
      new MachineInfo(
          "robot-01",
          "robot-cell",
          LINE,
          "opcua",
          List.of(
              new SignalDef("power_kw", SignalType.DOUBLE, "kW", "Monitoring/Power"),
              new SignalDef("state", SignalType.STRING, "", "MachineryItemState/CurrentState")));

  /** Published over MQTT: must not appear in the address space. */
  private static final MachineInfo CONVEYOR =
      new MachineInfo(
          "conveyor-01",
          "conveyor",
          LINE,
          "mqtt-json",
          List.of(new SignalDef("speed", SignalType.DOUBLE, "m/s", "Speed")));

  @TempDir static Path pkiDir;

  private final List<SimulatorOpcUaServer> servers = new ArrayList<>();
  private final List<OpcUaClient> clients = new ArrayList<>();
  private ScheduledExecutorService ticker;

  @BeforeAll
  static void trustTheTestClient() throws Exception {
    // The main server refuses unknown client certificates, so the secure endpoints are tested
    // with Milo's file trust list, not with the training "trust all" shortcut.
    OpcUaTestClient.trustIn(pkiDir);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    for (OpcUaClient c : clients) {
      c.disconnectAsync().get(10, SECONDS);
    }
    for (SimulatorOpcUaServer s : servers) {
      s.stop().get(10, SECONDS);
    }
  }

  static Stream<SecurityPolicy> policies() {
    return Stream.of(
        SecurityPolicy.None,
        SecurityPolicy.Basic256Sha256,
        SecurityPolicy.Aes128_Sha256_RsaOaep,
        SecurityPolicy.Aes256_Sha256_RsaPss);
  }

  @ParameterizedTest
  @MethodSource("policies")
  void everyEndpointBrowsesMachinesReadsEverySignalAndDeliversSubscriptionUpdates(
      SecurityPolicy policy) throws Exception {
    SignalBoard board = board();
    SimulatorOpcUaServer server = start(board, settings(pkiDir, false));
    OpcUaClient client = connect(server, policy, new AnonymousProvider());

    Map<String, Map<String, NodeId>> machines = OpcUaTestClient.browseMachines(client);
    assertThat(machines).containsOnlyKeys("cnc-01", "robot-01");
    assertThat(machines.get("cnc-01"))
        .containsOnlyKeys(
            "cnc-01/Monitoring/Spindle/Speed",
            "cnc-01/Production/GoodCount",
            "cnc-01/Alarms/Active",
            "cnc-01/MachineryItemState/CurrentState");
    assertThat(machines.get("robot-01"))
        .containsOnlyKeys("robot-01/Monitoring/Power", "robot-01/MachineryItemState/CurrentState");

    for (MachineInfo m : List.of(CNC, ROBOT)) {
      for (SignalDef s : m.signals()) {
        NodeId node = machines.get(m.id()).get(m.id() + "/" + s.browsePath());
        DataValue dv = client.readValue(0, TimestampsToReturn.Both, node);
        SignalBoard.Value expected = board.get(m.id(), s.name()).orElseThrow();
        assertThat(dv.statusCode().isGood()).as(node.toParseableString()).isTrue();
        assertThat(dv.value().getValue()).as(node.toParseableString()).isEqualTo(expected.value());
        assertThat(dv.sourceTime().getJavaInstant()).isEqualTo(expected.time());
      }
    }

    // Updates at the configured rate: the board changes every 20 ms, the item samples every 100.
    NodeId speed = machines.get("cnc-01").get("cnc-01/Monitoring/Spindle/Speed");
    List<Instant> arrivals = new CopyOnWriteArrayList<>();
    List<Double> values = new CopyOnWriteArrayList<>();
    OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
    subscription.create();
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(speed);
    item.setSamplingInterval(100.0);
    item.setDataValueListener(
        (i, v) -> {
          arrivals.add(Instant.now());
          values.add((Double) v.value().getValue());
        });
    subscription.addMonitoredItem(item);
    subscription.synchronizeMonitoredItems();
    assertThat(item.getRevisedSamplingInterval()).contains(100.0);
    assertThat(server.monitoredItemCount()).isEqualTo(1);

    changeEvery(board, "cnc-01", "spindle_speed", 20);
    await().atMost(Duration.ofSeconds(15)).until(() -> arrivals.size() >= 16);
    // Sampled, not forwarded per change: on average no faster than the sampling interval.
    Duration span = Duration.between(arrivals.get(0), arrivals.get(15));
    assertThat(span.toMillis() / 15.0).isGreaterThanOrEqualTo(70.0);
    assertThat(values.stream().distinct().count()).isGreaterThanOrEqualTo(15);

    subscription.delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.monitoredItemCount() == 0);
  }

  @Test
  void grantsFiftyMillisecondSamplingAndRevisesFasterRequestsUpToIt() throws Exception {
    SignalBoard board = board();
    SimulatorOpcUaServer server = start(board, settings(pkiDir, false));
    OpcUaClient client = connect(server, SecurityPolicy.None, new AnonymousProvider());
    NodeId speed = nodeId(client, "cnc-01/Monitoring/Spindle/Speed");

    OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
    subscription.create();
    AtomicLong received = new AtomicLong();
    OpcUaMonitoredItem fifty = OpcUaMonitoredItem.newDataItem(speed);
    fifty.setSamplingInterval(50.0);
    fifty.setDataValueListener((i, v) -> received.incrementAndGet());
    OpcUaMonitoredItem ten = OpcUaMonitoredItem.newDataItem(speed);
    ten.setSamplingInterval(10.0);
    subscription.addMonitoredItems(List.of(fifty, ten));
    subscription.synchronizeMonitoredItems();

    assertThat(subscription.getRevisedPublishingInterval()).contains(50.0);
    assertThat(fifty.getRevisedSamplingInterval()).contains(50.0);
    assertThat(ten.getRevisedSamplingInterval()).contains(50.0);
    assertThat(server.monitoredItemCount()).isEqualTo(2);

    changeEvery(board, "cnc-01", "spindle_speed", 10);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.get() >= 20);
  }

  @Test
  void samplingIntervalZeroReportsEveryChangeInOrderWhateverTheirPace() throws Exception {
    SignalBoard board = board();
    SimulatorOpcUaServer server = start(board, settings(pkiDir, false));
    OpcUaClient client = connect(server, SecurityPolicy.None, new AnonymousProvider());
    NodeId speed = nodeId(client, "cnc-01/Monitoring/Spindle/Speed");

    OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
    subscription.create();
    List<Double> values = new CopyOnWriteArrayList<>();
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(speed);
    item.setSamplingInterval(0.0);
    item.setQueueSize(uint(1_000));
    item.setDataValueListener((i, v) -> values.add((Double) v.value().getValue()));
    subscription.addMonitoredItem(item);
    subscription.synchronizeMonitoredItems();
    assertThat(item.getRevisedSamplingInterval()).contains(0.0);
    await().atMost(Duration.ofSeconds(10)).until(() -> values.contains(1200.5));

    // 500 changes as fast as the board takes them: no sampler could see them all.
    for (int n = 1; n <= 500; n++) {
      board.set("cnc-01", "spindle_speed", 2000.0 + n, Instant.now());
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> values.size() >= 501);
    List<Double> expected = new ArrayList<>();
    expected.add(1200.5);
    for (int n = 1; n <= 500; n++) {
      expected.add(2000.0 + n);
    }
    assertThat(values).containsExactlyElementsOf(expected);

    subscription.delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.monitoredItemCount() == 0);
  }

  @Test
  void userPasswordIsAcceptedAndAWrongPasswordRefused() throws Exception {
    SimulatorOpcUaServer server =
        start(board(), settings(pkiDir, false).withUsers(Map.of("trainer", "s3cret")));

    for (SecurityPolicy policy : List.of(SecurityPolicy.None, SecurityPolicy.Basic256Sha256)) {
      OpcUaClient ok = connect(server, policy, new UsernameProvider("trainer", "s3cret"));
      assertThat(OpcUaTestClient.browseMachines(ok)).containsKey("cnc-01");

      OpcUaClient wrong =
          OpcUaTestClient.create(
              server.endpointUrl(),
              policy,
              new UsernameProvider("trainer", "guess"),
              server.certificate());
      clients.add(wrong);
      assertThatThrownBy(wrong::connect)
          .as("wrong password over %s", policy)
          .isInstanceOf(UaException.class);
    }
  }

  @Test
  void untrustedClientCertificateIsRejectedUnlessTrustAllIsSet(@TempDir Path otherPki)
      throws Exception {
    SimulatorOpcUaServer strict = start(board(), settings(otherPki, false));
    OpcUaClient refused =
        OpcUaTestClient.create(
            strict.endpointUrl(),
            SecurityPolicy.Basic256Sha256,
            new AnonymousProvider(),
            strict.certificate());
    clients.add(refused);
    assertThatThrownBy(refused::connect).isInstanceOf(UaException.class);
    // The refused certificate waits in rejected/ for an operator to trust it.
    try (Stream<Path> rejected = Files.list(otherPki.resolve("rejected"))) {
      assertThat(rejected.count()).isEqualTo(1);
    }
    strict.stop().get(10, SECONDS);

    SimulatorOpcUaServer lenient = start(board(), settings(otherPki, true));
    OpcUaClient accepted = connect(lenient, SecurityPolicy.Basic256Sha256, new AnonymousProvider());
    assertThat(OpcUaTestClient.browseMachines(accepted)).containsKey("robot-01");
  }

  @Test
  void stopThenStartServesAgainOnTheSamePort() throws Exception {
    SignalBoard board = board();
    SimulatorOpcUaServer server = start(board, settings(pkiDir, false));
    OpcUaClient first = connect(server, SecurityPolicy.None, new AnonymousProvider());
    assertThat(server.sessionCount()).isEqualTo(1);
    first.disconnect();
    clients.remove(first);

    server.stop().get(10, SECONDS);
    assertThat(server.isRunning()).isFalse();
    assertThat(server.stop()).succeedsWithin(Duration.ofSeconds(5)); // idempotent
    assertThatThrownBy(() -> OpcUaClient.create(server.endpointUrl()))
        .as("nothing listens while stopped")
        .isInstanceOf(UaException.class);

    server.start().get(30, SECONDS);
    assertThat(server.isRunning()).isTrue();
    board.set("cnc-01", "good_count", 42L, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    OpcUaClient again =
        connect(server, SecurityPolicy.Aes256_Sha256_RsaPss, new AnonymousProvider());
    DataValue dv =
        again.readValue(0, TimestampsToReturn.Both, nodeId(again, "cnc-01/Production/GoodCount"));
    assertThat(dv.value().getValue()).isEqualTo(42L);
  }

  @Test
  void aSecondInstanceOnTheSamePkiDirectoryKeepsCertificateAndNodeIds() throws Exception {
    SimulatorOpcUaServer first = start(board(), settings(pkiDir, false));
    X509Certificate certificate = first.certificate();
    OpcUaClient c1 = connect(first, SecurityPolicy.None, new AnonymousProvider());
    Map<String, Map<String, NodeId>> before = absolute(c1);
    c1.disconnect();
    clients.remove(c1);
    first.stop().get(10, SECONDS);

    // A new server object stands in for a new process: nothing is shared but the directory.
    SimulatorOpcUaServer second = start(board(), settings(pkiDir, false));
    assertThat(second.certificate()).isEqualTo(certificate);
    OpcUaClient c2 = connect(second, SecurityPolicy.Basic256Sha256, new AnonymousProvider());
    assertThat(absolute(c2)).isEqualTo(before);
  }

  @Test
  void valuesOfTheWrongTypeAreCountedAndPublishedAsBad() throws Exception {
    SignalBoard board = board();
    SimulatorOpcUaServer server = start(board, settings(pkiDir, false));
    OpcUaClient client = connect(server, SecurityPolicy.None, new AnonymousProvider());
    board.set("cnc-01", "good_count", "not a number", Instant.now());
    DataValue dv =
        client.readValue(0, TimestampsToReturn.Both, nodeId(client, "cnc-01/Production/GoodCount"));
    assertThat(dv.statusCode().isBad()).isTrue();
    assertThat(server.rejectedValues()).isEqualTo(1);
  }

  // --- helpers

  /** Node ids with the namespace URI instead of the index, as a restart-proof identity. */
  private static Map<String, Map<String, NodeId>> absolute(OpcUaClient client) throws Exception {
    Map<String, Map<String, NodeId>> machines = OpcUaTestClient.browseMachines(client);
    Map<String, Map<String, NodeId>> out = new HashMap<>();
    int ns = client.getNamespaceTable().getIndex(SimulatorOpcUaServer.namespaceUri()).intValue();
    machines.forEach(
        (m, vars) -> {
          assertThat(vars.values()).allMatch(n -> n.getNamespaceIndex().intValue() == ns);
          out.put(m, vars);
        });
    return out;
  }

  private static NodeId nodeId(OpcUaClient client, String identifier) {
    return new NodeId(
        client.getNamespaceTable().getIndex(SimulatorOpcUaServer.namespaceUri()), identifier);
  }

  private void changeEvery(SignalBoard board, String machine, String signal, long periodMs) {
    ticker = Executors.newSingleThreadScheduledExecutor();
    AtomicLong n = new AtomicLong();
    ticker.scheduleAtFixedRate(
        () -> board.set(machine, signal, 1000.0 + n.incrementAndGet(), Instant.now()),
        0,
        periodMs,
        TimeUnit.MILLISECONDS);
  }

  private SimulatorOpcUaServer start(SignalBoard board, OpcUaServerSettings settings)
      throws Exception {
    SimulatorOpcUaServer server = new SimulatorOpcUaServer(board, settings);
    servers.add(server);
    server.start().get(60, SECONDS);
    assertThat(server.isRunning()).isTrue();
    assertThat(server.endpointUrl())
        .isEqualTo("opc.tcp://127.0.0.1:" + settings.port() + "/atelier");
    return server;
  }

  private OpcUaClient connect(
      SimulatorOpcUaServer server,
      SecurityPolicy policy,
      org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider identity)
      throws Exception {
    OpcUaClient client =
        OpcUaTestClient.create(server.endpointUrl(), policy, identity, server.certificate());
    clients.add(client);
    client.connect();
    return client;
  }

  private static OpcUaServerSettings settings(Path pki, boolean trustAll) throws IOException {
    return OpcUaServerSettings.defaults(pki, freePort())
        .withBindAddress("127.0.0.1")
        .withTrustAllClientCertificates(trustAll);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static SignalBoard board() {
    SignalBoard board = new SignalBoard();
    Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    board.define(
        CNC,
        Map.of(
            "spindle_speed",
            1200.5,
            "good_count",
            17L,
            "alarm_active",
            false,
            "state",
            "Executing"),
        t);
    board.define(ROBOT, Map.of("power_kw", 3.25, "state", "Idle"), t.minusSeconds(5));
    board.define(CONVEYOR, Map.of("speed", 0.5), t);
    return board;
  }
}
