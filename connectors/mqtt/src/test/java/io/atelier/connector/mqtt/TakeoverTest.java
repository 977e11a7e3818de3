package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adoption rules of {@link Takeover}, with recorded adoptions in place of broker connections
 * (the broker side is proven by {@code SharedSubscriptionCrashIT}).
 */
@Timeout(30)
class TakeoverTest {

  static final String YAML =
      """
      connections:
        - id: broker
          type: mqtt
          settings:
            url: tcp://127.0.0.1:1883
            clientId: gw-b
            reconnectMinDelay: 50ms
            reconnectMaxDelay: 200ms
            takeover:
              delay: 1s
            subscriptions:
              - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
                shared: gateways
      machines:
        - id: conveyor-01
          path: platform/hall-a/assembly/conveyor-01
          connection: broker
      """;

  /** A recorded adoption: the test says how it goes. */
  static final class FakeAdoption implements Adoption {
    final Presence trigger;
    final byte[] payload;
    final Listener listener;
    boolean started;
    boolean stopped;
    boolean adopted;

    FakeAdoption(Presence trigger, byte[] payload, Listener listener) {
      this.trigger = trigger;
      this.payload = payload;
      this.listener = listener;
    }

    @Override
    public String peerId() {
      return trigger.clientId();
    }

    @Override
    public byte[] triggerPayload() {
      return payload.clone();
    }

    @Override
    public boolean wasAdopted() {
      return adopted;
    }

    @Override
    public void start() {
      started = true;
    }

    @Override
    public Future<Void> stop() {
      stopped = true;
      listener.ended(this, End.STOPPED, "stopping");
      return Future.succeededFuture();
    }

    void succeed() {
      adopted = true;
      listener.adopted(this);
    }

    void end(End end) {
      listener.ended(this, end, "test");
    }
  }

  final Vertx vertx = Vertx.vertx();
  final MqttStats stats = new MqttStats();
  final List<FakeAdoption> adoptions = new CopyOnWriteArrayList<>();
  final Takeover takeover =
      new Takeover(
          "broker",
          Fixtures.parts(YAML).settings(),
          vertx,
          stats,
          (trigger, payload, listener) -> {
            FakeAdoption a = new FakeAdoption(trigger, payload, listener);
            adoptions.add(a);
            return a;
          });

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static byte[] presence(Presence.State state, String clientId, String group, long since) {
    Optional<String> by = state == Presence.State.ADOPTED ? Optional.of("gw-c") : Optional.empty();
    return new Presence(state, clientId, Set.of(group), by, since).toJson();
  }

  void see(String clientId, byte[] payload) {
    takeover.onPresence("atelier/_gateways/" + clientId, payload);
  }

  @Test
  void garbageIsCountedAndIgnored() {
    see("gw-a", "not json".getBytes(StandardCharsets.UTF_8));
    see("gw-a", "{\"state\":\"gone\"}".getBytes(StandardCharsets.UTF_8));
    see("gw-a", "{\"state\":\"offline\",\"clientId\":\"gw-x\"}".getBytes(StandardCharsets.UTF_8));
    see("gw-a", new byte[] {(byte) 0xff, 0, 1});
    takeover.onPresence(
        "atelier/_gateways/gw-a/deeper", presence(Presence.State.OFFLINE, "gw-a", "gateways", 1));

    assertThat(stats.get(MqttStats.TAKEOVER_PRESENCE_INVALID)).isEqualTo(4);
    assertThat(adoptions).isEmpty();
  }

  @Test
  void adoptsAnOfflinePeerOfItsGroupOnceAtATime() {
    byte[] offline = presence(Presence.State.OFFLINE, "gw-a", "gateways", 1);
    see("gw-a", offline);
    see("gw-a", offline);

    assertThat(adoptions).hasSize(1);
    FakeAdoption a = adoptions.get(0);
    assertThat(a.started).isTrue();
    assertThat(a.peerId()).isEqualTo("gw-a");
    assertThat(stats.get(MqttStats.TAKEOVER_ATTEMPTS)).isEqualTo(1);

    a.succeed();
    assertThat(takeover.active()).isEqualTo(1);
    assertThat(stats.get(MqttStats.TAKEOVER_ADOPTIONS)).isEqualTo(1);
  }

  @Test
  void ignoresItselfOtherGroupsAndPeersThatAreNotOffline() {
    see("gw-b", presence(Presence.State.OFFLINE, "gw-b", "gateways", 1));
    see("gw-x", presence(Presence.State.OFFLINE, "gw-x", "other-group", 1));
    see("gw-a", presence(Presence.State.ONLINE, "gw-a", "gateways", 1));
    see("gw-a", presence(Presence.State.STOPPED, "gw-a", "gateways", 2));
    see("gw-a", presence(Presence.State.ADOPTED, "gw-a", "gateways", 3));
    see("gw-a", new byte[0]);

    assertThat(adoptions).isEmpty();
    assertThat(stats.get(MqttStats.TAKEOVER_PRESENCE_INVALID)).isZero();
  }

  @Test
  void theSameOfflineMessageIsNotAdoptedAgainAfterATakeOver() {
    byte[] offline = presence(Presence.State.OFFLINE, "gw-a", "gateways", 1);
    see("gw-a", offline);
    adoptions.get(0).succeed();
    adoptions.get(0).end(Adoption.End.TAKEN_OVER);

    assertThat(takeover.active()).isZero();
    assertThat(stats.get(MqttStats.TAKEOVER_ENDED_PREFIX + "taken-over")).isEqualTo(1);

    see("gw-a", offline); // a retained replay
    assertThat(adoptions).hasSize(1);
    see("gw-a", presence(Presence.State.OFFLINE, "gw-a", "gateways", 2)); // a new crash
    assertThat(adoptions).hasSize(2);
  }

  @Test
  void aDroppedAdopterIsSettledByThePeersNextPresence() {
    see("gw-a", presence(Presence.State.OFFLINE, "gw-a", "gateways", 1));
    adoptions.get(0).succeed();
    adoptions.get(0).end(Adoption.End.LOST);
    assertThat(takeover.active()).isZero();
    assertThat(stats.counts()).doesNotContainKey(MqttStats.TAKEOVER_ENDED_PREFIX + "lost");

    // The owner is back (Mosquitto closed our connection without a reason code).
    see("gw-a", presence(Presence.State.ONLINE, "gw-a", "gateways", 5));
    assertThat(stats.get(MqttStats.TAKEOVER_ENDED_PREFIX + "taken-over")).isEqualTo(1);
    assertThat(adoptions).hasSize(1);
  }

  @Test
  void aReallyLostAdopterIsAdoptedAgainWhenItsWillSaysOffline() {
    see("gw-a", presence(Presence.State.OFFLINE, "gw-a", "gateways", 1));
    adoptions.get(0).succeed();
    adoptions.get(0).end(Adoption.End.LOST);

    see("gw-a", presence(Presence.State.OFFLINE, "gw-a", "gateways", 9)); // our adopter's will
    assertThat(stats.get(MqttStats.TAKEOVER_ENDED_PREFIX + "lost")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> adoptions.size() == 2);
    assertThat(adoptions.get(1).started).isTrue();
  }

  @Test
  void aFailedAttemptIsRetriedWithBackoffWhileThePeerStaysOffline() {
    see("gw-a", presence(Presence.State.OFFLINE, "gw-a", "gateways", 1));
    adoptions.get(0).end(Adoption.End.FAILED);
    await().atMost(Duration.ofSeconds(5)).until(() -> adoptions.size() == 2);
    assertThat(stats.get(MqttStats.TAKEOVER_ENDED_PREFIX + "failed")).isEqualTo(1);
    assertThat(stats.get(MqttStats.TAKEOVER_ADOPTIONS)).isZero();
  }

  @Test
  void anExpiredSessionIsNotRetried() {
    see("gw-a", presence(Presence.State.OFFLINE, "gw-a", "gateways", 1));
    adoptions.get(0).end(Adoption.End.EXPIRED);
    see("gw-a", new byte[0]); // the adopter cleared the retained presence
    assertThat(stats.get(MqttStats.TAKEOVER_ENDED_PREFIX + "expired")).isEqualTo(1);
    assertThat(adoptions).hasSize(1);
  }

  @Test
  void stopHandsEveryAdoptedSessionBack() throws Exception {
    see("gw-a", presence(Presence.State.OFFLINE, "gw-a", "gateways", 1));
    see("gw-c", presence(Presence.State.OFFLINE, "gw-c", "gateways", 1));
    adoptions.forEach(FakeAdoption::succeed);
    assertThat(takeover.active()).isEqualTo(2);

    takeover.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(adoptions).allMatch(a -> a.stopped);
    assertThat(takeover.active()).isZero();
    assertThat(stats.get(MqttStats.TAKEOVER_ENDED_PREFIX + "stopped")).isEqualTo(2);
    see("gw-d", presence(Presence.State.OFFLINE, "gw-d", "gateways", 1));
    assertThat(adoptions).hasSize(2);
  }
}
