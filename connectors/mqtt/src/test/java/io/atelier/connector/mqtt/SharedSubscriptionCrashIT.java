package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.ConnectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.atelier.testsupport.ManagedProcess;
import io.atelier.testsupport.MosquittoExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared subscription with a member that crashes: member A runs in a child JVM ({@link MemberMain})
 * and is killed with SIGKILL, so Mosquitto keeps its persistent session and keeps routing A's share
 * into it. Member B (in this JVM) sees A's delayed will ({@code offline}) and adopts A's session,
 * so A's share reaches the pipeline after {@code takeover.delay}. When A comes back, the broker
 * hands the session back to A ("session taken over") and A gets its share again.
 */
@Timeout(180)
class SharedSubscriptionCrashIT {

  @RegisterExtension final MosquittoExtension broker = new MosquittoExtension();

  @TempDir Path dir;
  final ConnectorHarness harness = new ConnectorHarness();
  ManagedProcess memberA;

  static final String TOPIC = "atelier/platform/hall-a/assembly/conveyor-01/seq";

  @AfterEach
  void tearDown() {
    if (memberA != null) {
      memberA.kill();
    }
    harness.close();
  }

  static String config(String url, String clientId) {
    return config(url, clientId, 2);
  }

  static String config(String url, String clientId, int delaySeconds) {
    return """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: %s
              clientId: %s
              reconnectMinDelay: 200ms
              reconnectMaxDelay: 2s
              takeover:
                delay: %ds
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
                  shared: gateways
                - topic: "plain/{machine}/{signal}"
                  decoder: plain
        machines:
          - id: conveyor-01
            path: platform/hall-a/assembly/conveyor-01
            connection: broker
        """
        .formatted(url, clientId, delaySeconds);
  }

  @Test
  void crashedMembersShareIsAdoptedUntilTheMemberComesBack() throws Exception {
    Path valuesA = dir.resolve("a-values.txt");
    Path readyA = dir.resolve("a-ready");
    memberA = childMember("gw-a", valuesA, readyA);
    startChild(readyA);
    CollectingSink sinkB = new CollectingSink();
    MqttConnector b = harness.connector(config(broker.url(), "gw-b"), sinkB, dir.resolve("b"));
    await(b.start());

    try (TestPublisher pub = new TestPublisher(broker.url(), "pub-crash", dir.resolve("p"))) {
      // 1. Both members up: disjoint shares, together everything.
      publish(pub, 1, 400);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> union(valuesA, sinkB).containsAll(range(1, 400)));
      Set<Long> both = new HashSet<>(values(valuesA));
      both.retainAll(markers(sinkB));
      assertThat(both).isEmpty();
      assertThat(values(valuesA)).hasSizeGreaterThan(50);
      assertThat(markers(sinkB)).hasSizeGreaterThan(50);

      // 2. A crashes; its share of what follows is queued in its session until B adopts it.
      memberA.kill();
      long killedAt = System.nanoTime();
      Set<Long> recordedByA = values(valuesA);
      publish(pub, 401, 800);
      // Not shared: every member gets its own copy, so the adopter must skip A's.
      for (int i = 1; i <= 10; i++) {
        pub.publish("plain/conveyor-01/level", String.valueOf(100_000 + i), 1);
      }
      pub.drain();
      AtomicLong firstAdopted = new AtomicLong();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                boolean yes = b.stats().get(MqttStats.TAKEOVER_MESSAGES) > 0;
                if (yes) {
                  firstAdopted.set(System.nanoTime());
                }
                return yes;
              });
      System.out.printf(
          "TAKEOVER kill -> first adopted message at B: %d ms (takeover.delay 2s)%n",
          (firstAdopted.get() - killedAt) / 1_000_000);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> markers(sinkB).containsAll(range(401, 800)));
      System.out.printf(
          "TAKEOVER kill -> all of 401..800 at B: %d ms; B took %d messages from A's session%n",
          (System.nanoTime() - killedAt) / 1_000_000, b.stats().get(MqttStats.TAKEOVER_MESSAGES));
      assertThat(values(valuesA)).isEqualTo(recordedByA); // A is really gone
      assertThat(union(valuesA, sinkB)).containsAll(range(1, 800));
      assertThat(b.stats().get(MqttStats.TAKEOVER_ADOPTIONS)).isEqualTo(1);
      assertThat(b.stats().get(MqttStats.TAKEOVER_MESSAGES)).isGreaterThan(0);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> b.stats().get(MqttStats.TAKEOVER_UNSHARED_SKIPPED) == 10);
      assertThat(sinkB.samples(smp -> smp.signal().equals("level"))).hasSize(10);
      assertThat(b.adoptedSessions()).isEqualTo(1);
      assertThat(b.status().state())
          .isEqualTo(io.atelier.connector.api.ConnectorStatus.State.CONNECTED);

      // 3. A comes back with the same client id: the broker gives A its session back.
      startChild(readyA);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  b.stats().get(MqttStats.TAKEOVER_ENDED_PREFIX + "taken-over") == 1
                      && b.adoptedSessions() == 0);
      Set<Long> beforeReturn = values(valuesA);
      publish(pub, 801, 1200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> union(valuesA, sinkB).containsAll(range(1, 1200)));
      Set<Long> aAfterReturn = values(valuesA);
      aAfterReturn.removeAll(beforeReturn);
      aAfterReturn.retainAll(range(801, 1200));
      assertThat(aAfterReturn).as("A's share after its return").hasSizeGreaterThan(50);
      assertThat(b.stats().get(MqttStats.TAKEOVER_ADOPTIONS)).isEqualTo(1);
      assertThat(b.adoptedSessions()).isZero();
      Set<Long> twice = new HashSet<>(values(valuesA));
      twice.retainAll(markers(sinkB));
      System.out.printf(
          "TAKEOVER 1..1200: A recorded %d, B %d, received by both %d%n",
          values(valuesA).size(), markers(sinkB).size(), twice.size());
    }
    await(b.stop());
  }

  /**
   * Two survivors see the will at once: both try, one keeps the session. When that one stops
   * (planned), it hands the session back with its will, and the other adopts it in turn.
   */
  @Test
  void anAdopterThatStopsHandsTheSessionOnToTheNextSurvivor() throws Exception {
    Path valuesA = dir.resolve("a-values.txt");
    Path readyA = dir.resolve("a-ready");
    memberA = childMember("gw-a", valuesA, readyA);
    startChild(readyA);
    CollectingSink sinkB = new CollectingSink();
    CollectingSink sinkC = new CollectingSink();
    MqttConnector b = harness.connector(config(broker.url(), "gw-b"), sinkB, dir.resolve("b"));
    MqttConnector c = harness.connector(config(broker.url(), "gw-c"), sinkC, dir.resolve("c"));
    await(b.start());
    await(c.start());

    try (TestPublisher pub = new TestPublisher(broker.url(), "pub-crash2", dir.resolve("p"))) {
      publish(pub, 1, 300);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> all(valuesA, sinkB, sinkC).containsAll(range(1, 300)));
      assertThat(values(valuesA)).isNotEmpty();

      memberA.kill();
      publish(pub, 301, 600);
      // Exactly one survivor holds A's session once the dust settles.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> b.adoptedSessions() + c.adoptedSessions() == 1);
      MqttConnector holder = b.adoptedSessions() == 1 ? b : c;
      MqttConnector other = holder == b ? c : b;
      CollectingSink otherSink = holder == b ? sinkC : sinkB;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> all(valuesA, sinkB, sinkC).containsAll(range(1, 600)));
      long otherAdoptionsBefore = other.stats().get(MqttStats.TAKEOVER_ADOPTIONS);

      await(holder.stop());
      publish(pub, 601, 900);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> markers(otherSink).containsAll(range(601, 900)));
      assertThat(other.adoptedSessions()).isEqualTo(1);
      assertThat(other.stats().get(MqttStats.TAKEOVER_ADOPTIONS))
          .isEqualTo(otherAdoptionsBefore + 1);
      assertThat(holder.stats().get(MqttStats.TAKEOVER_ENDED_PREFIX + "stopped")).isEqualTo(1);
      assertThat(all(valuesA, sinkB, sinkC)).containsAll(range(1, 900));
    }
    await(b.stop());
    await(c.stop());
  }

  /**
   * A member that crashes and is back within {@code takeover.delay} is not adopted: the broker
   * drops its delayed will when the same client id connects again.
   */
  @Test
  void aMemberBackWithinTheDelayIsNotAdopted() throws Exception {
    Path valuesA = dir.resolve("a-values.txt");
    Path readyA = dir.resolve("a-ready");
    memberA = childMember("gw-a", valuesA, readyA, 12);
    startChild(readyA);
    CollectingSink sinkB = new CollectingSink();
    MqttConnector b = harness.connector(config(broker.url(), "gw-b", 12), sinkB, dir.resolve("b"));
    await(b.start());

    try (TestPublisher pub = new TestPublisher(broker.url(), "pub-crash3", dir.resolve("p"))) {
      memberA.kill();
      long killedAt = System.nanoTime();
      publish(pub, 1, 200);
      startChild(readyA);
      long backAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
      assertThat(backAfterMs).as("A must be back well within the 12 s delay").isLessThan(9_000);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> union(valuesA, sinkB).containsAll(range(1, 200)));
      // Past the delay (counted from the kill) no will came: nobody tried to adopt A.
      long holdMs = Math.max(0, 14_000 - (System.nanoTime() - killedAt) / 1_000_000);
      await()
          .during(Duration.ofMillis(holdMs))
          .atMost(Duration.ofMillis(holdMs + 5_000))
          .until(() -> b.stats().get(MqttStats.TAKEOVER_ATTEMPTS) == 0);
      assertThat(b.adoptedSessions()).isZero();
    }
    await(b.stop());
  }

  private static Set<Long> all(Path valuesA, CollectingSink sinkB, CollectingSink sinkC)
      throws IOException {
    Set<Long> out = union(valuesA, sinkB);
    out.addAll(markers(sinkC));
    return out;
  }

  private ManagedProcess childMember(String clientId, Path values, Path ready) throws IOException {
    return childMember(clientId, values, ready, 2);
  }

  private ManagedProcess childMember(String clientId, Path values, Path ready, int delaySeconds)
      throws IOException {
    Path cfg = dir.resolve(clientId + ".yaml");
    Files.writeString(cfg, config(broker.url(), clientId, delaySeconds));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return ManagedProcess.builder("member-" + clientId, java)
        .args(
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            MemberMain.class.getName(),
            cfg.toString(),
            values.toString(),
            dir.resolve(clientId).toString(),
            ready.toString())
        .workingDirectory(dir)
        .readiness(() -> Files.exists(ready))
        .startTimeout(Duration.ofSeconds(60))
        .build();
  }

  private void startChild(Path ready) throws IOException {
    Files.deleteIfExists(ready);
    memberA.start();
  }

  private static void publish(TestPublisher pub, long from, long to) throws Exception {
    for (long i = from; i <= to; i++) {
      pub.publish(TOPIC, "{\"ts\": " + i + ", \"value\": " + i + "}", 1);
    }
    pub.drain();
  }

  private static Set<Long> range(long from, long to) {
    Set<Long> out = new HashSet<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  /** What the child recorded (complete lines only: it may have died mid-line). */
  private static Set<Long> values(Path file) throws IOException {
    Set<Long> out = new HashSet<>();
    if (!Files.exists(file)) {
      return out;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return out;
    }
    for (String line : text.substring(0, end).split("\n")) {
      if (line.startsWith("seq ")) {
        out.add(Long.parseLong(line.substring(4).trim()));
      }
    }
    return out;
  }

  private static Set<Long> markers(CollectingSink sink) {
    Set<Long> out = new HashSet<>();
    for (Sample s : sink.samples(smp -> smp.signal().equals("seq"))) {
      out.add((Long) s.value());
    }
    return out;
  }

  private static Set<Long> union(Path valuesA, CollectingSink sinkB) throws IOException {
    Set<Long> all = values(valuesA);
    all.addAll(markers(sinkB));
    return all;
  }
}
