package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.ConnectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.connector.api.Sample;
import io.atelier.testsupport.MosquittoExtension;
import io.atelier.testsupport.MosquittoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker process is stopped for 15 s while a publisher keeps sending QoS 1 messages with unique
 * timestamps, then restarted on the same port. Every message the publisher handed to its client
 * must reach the sink (duplicates allowed: at-least-once).
 *
 * <p>The broker is stopped with SIGTERM, so that it saves its database. Killed with SIGKILL,
 * Mosquitto can lose a message it has already acknowledged to the publisher (it writes its database
 * after sending PUBACK, even with {@code autosave_on_changes}): seen once in CI, one message in
 * 575. No client can recover that, so this test measures the connector, not the broker's
 * durability. The connector's own crash safety is covered by the redelivery tests.
 */
@Timeout(300)
class BrokerOutageIT {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageIT.class);

  @RegisterExtension
  final MosquittoExtension broker =
      new MosquittoExtension(
          MosquittoServer.builder()
              .configLine("autosave_on_changes true")
              .configLine("max_queued_messages 100000"));

  @TempDir Path dir;
  final ConnectorHarness harness = new ConnectorHarness();
  static final String TOPIC = "atelier/platform/hall-a/assembly/conveyor-01/seq";

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  /** Publishes one message per tick; what the client refuses (offline, window full) is retried. */
  static final class SteadyPublisher implements Runnable {
    final MqttAsyncClient client;
    final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    final AtomicBoolean running = new AtomicBoolean(true);
    final Deque<Long> pending = new ArrayDeque<>();
    volatile int pendingSize;
    final java.util.Map<String, Integer> refusals = new ConcurrentHashMap<>();
    final MqttConnectionOptions options = new MqttConnectionOptions();
    long next = 1_700_000_000_000L;
    long lastConnectAttempt;

    SteadyPublisher(String url, Path persistence) throws MqttException {
      client =
          new MqttAsyncClient(
              url, "outage-publisher", new MqttDefaultFilePersistence(persistence.toString()));
      options.setCleanStart(false); // keep its in-flight messages across the outage
      options.setSessionExpiryInterval(3600L);
      options.setConnectionTimeout(2);
      client.connect(options).waitForCompletion(10_000);
    }

    /** Paho's own automatic reconnect did not come back here, so the publisher reconnects. */
    private void reconnectIfNeeded() {
      long now = System.nanoTime();
      if (client.isConnected() || now - lastConnectAttempt < 500_000_000L) {
        return;
      }
      lastConnectAttempt = now;
      try {
        client.connect(
            options,
            null,
            new org.eclipse.paho.mqttv5.client.MqttActionListener() {
              @Override
              public void onSuccess(org.eclipse.paho.mqttv5.client.IMqttToken token) {}

              @Override
              public void onFailure(org.eclipse.paho.mqttv5.client.IMqttToken token, Throwable e) {
                // Say why in the progress log: a publisher that never comes back is otherwise a
                // riddle.
                String why =
                    e instanceof MqttException m
                        ? "connect-failed-" + m.getReasonCode()
                        : "connect-failed-" + e.getClass().getSimpleName();
                refusals.merge(why, 1, Integer::sum);
              }
            });
      } catch (MqttException | RuntimeException e) {
        refusals.merge("connect-" + e.getClass().getSimpleName(), 1, Integer::sum);
      }
    }

    @Override
    public void run() {
      long tick = System.nanoTime();
      while (running.get()) {
        reconnectIfNeeded();
        pending.addLast(next++);
        while (!pending.isEmpty()) {
          long ts = pending.peekFirst();
          String payload = "{\"ts\": " + ts + ", \"value\": " + ts + "}";
          try {
            client.publish(TOPIC, payload.getBytes(StandardCharsets.UTF_8), 1, false);
            accepted.add(ts);
            pending.removeFirst();
          } catch (MqttException | RuntimeException e) {
            String why = e instanceof MqttException m ? "mqtt-" + m.getReasonCode() : e.toString();
            refusals.merge(why, 1, Integer::sum);
            break; // offline or window full: keep it, try on the next tick
          }
        }
        pendingSize = pending.size();
        tick += 20_000_000L;
        java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, tick - System.nanoTime()));
      }
    }
  }

  @Test
  void noQos1MessageIsLostWhenTheBrokerIsKilledAndRestarted() throws Exception {
    String yaml =
        """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: %s
              clientId: it-outage
              reconnectMinDelay: 200ms
              reconnectMaxDelay: 2s
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
        machines:
          - id: conveyor-01
            path: platform/hall-a/assembly/conveyor-01
            connection: broker
        """
            .formatted(broker.url());
    CollectingSink sink = new CollectingSink();
    MqttConnector c = harness.connector(yaml, sink, dir.resolve("c"));
    await(c.start());
    SteadyPublisher publisher = new SteadyPublisher(broker.url(), dir.resolve("p"));
    Thread thread = new Thread(publisher, "steady-publisher");
    int acceptedBeforeKill;
    thread.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.samples().size() >= 100);

      acceptedBeforeKill = publisher.accepted.size();
      broker.server().stop();
      long killedAt = System.nanoTime();
      await().atMost(Duration.ofSeconds(30)).until(() -> c.status().state() == State.DISCONNECTED);
      // The outage itself: 15 s with the publisher still trying.
      await()
          .pollDelay(Duration.ofSeconds(15))
          .atMost(Duration.ofSeconds(20))
          .until(() -> System.nanoTime() - killedAt >= 15_000_000_000L);
      broker.server().start();

      await().atMost(Duration.ofSeconds(60)).until(() -> c.status().state() == State.CONNECTED);
      int before = publisher.accepted.size();
      await()
          .atMost(Duration.ofSeconds(60))
          .conditionEvaluationListener(
              e ->
                  LOG.info(
                      "publisher connected={} pending={} inflight={} refusals={}",
                      publisher.client.isConnected(),
                      publisher.pendingSize,
                      publisher.client.getInFlightMessageCount(),
                      publisher.refusals))
          // the backlog built up during the outage has been handed to the client, and more
          .until(() -> publisher.accepted.size() >= before + 150 && publisher.pendingSize < 5);
    } finally {
      publisher.running.set(false);
      thread.join(10_000);
    }
    // What is still pending was never handed to the client; what is in flight must arrive.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> publisher.client.getInFlightMessageCount() == 0);

    Set<Long> sent = new TreeSet<>(publisher.accepted);
    await()
        .atMost(Duration.ofSeconds(120))
        .conditionEvaluationListener(
            e -> {
              Set<Long> missing = new TreeSet<>(sent);
              missing.removeAll(received(sink));
              LOG.info("missing {}: {}", missing.size(), missing.stream().limit(10).toList());
            })
        .until(() -> received(sink).containsAll(sent));

    List<Sample> all = sink.samples(s -> s.signal().equals("seq"));
    Set<Long> unique = received(sink);
    LOG.info(
        "outage: sent {} unique, received {} samples ({} unique, {} duplicates), connects {}",
        sent.size(),
        all.size(),
        unique.size(),
        all.size() - unique.size(),
        c.stats().get(MqttStats.CONNECTS));
    // Messages made during the outage were queued and sent afterwards. How many depends on how
    // busy the machine is, so only a floor well below the nominal 50 per second is asserted.
    assertThat(sent).hasSizeGreaterThan(acceptedBeforeKill + 100);
    assertThat(publisher.refusals.getOrDefault("mqtt-32104", 0)).isGreaterThan(100);
    assertThat(unique).containsAll(sent);
    assertThat(c.stats().get(MqttStats.CONNECTION_LOSSES)).isGreaterThanOrEqualTo(1);
    publisher.client.disconnect().waitForCompletion(5_000);
    publisher.client.close(true);
    await(c.stop());
  }

  private static Set<Long> received(CollectingSink sink) {
    Set<Long> ts = new HashSet<>();
    for (Sample s : sink.samples(s -> s.signal().equals("seq"))) {
      ts.add(s.sourceTime().toEpochMilli());
    }
    return ts;
  }
}
