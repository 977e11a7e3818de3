package io.atelier.connector.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent session of a crashed shared-subscription member, taken over by this member: a
 * second Paho client under the peer's client id ({@code cleanStart=false}), whose messages go
 * through our {@link MessageIntake} and are acknowledged only once the sink has them, exactly like
 * our own. One connection attempt, no reconnect: whatever ends it is reported to the {@link
 * Listener} once, and {@link Takeover} decides what happens next.
 *
 * <p>Memory persistence is enough: unacknowledged QoS 1/2 messages stay in the broker's session and
 * are redelivered to whoever holds it next.
 */
final class AdoptedSession implements Adoption, MqttCallback {

  private static final Logger LOG = LoggerFactory.getLogger(AdoptedSession.class);

  /** MQTT 5 reason codes we act on. */
  static final int RC_DISCONNECT_WITH_WILL = 0x04;

  static final int RC_SESSION_TAKEN_OVER = 0x8E;

  private final String connectionId;
  private final String ownClientId;
  private final Presence trigger;
  private final byte[] triggerPayload;
  private final Vertx vertx;
  private final MqttSettings settings;
  private final MqttStats stats;
  private final MessageIntake intake;
  private final Listener listener;
  private final EpochAcks acks;
  private final java.util.List<TopicTemplate> sharedTemplates;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile boolean adopted;
  private volatile MqttAsyncClient client;

  AdoptedSession(
      String connectionId,
      Presence trigger,
      byte[] triggerPayload,
      Vertx vertx,
      MqttSettings settings,
      MqttStats stats,
      MessageIntake intake,
      Listener listener) {
    this.connectionId = connectionId;
    this.ownClientId = settings.clientId();
    this.trigger = trigger;
    this.triggerPayload = triggerPayload.clone();
    this.vertx = vertx;
    this.settings = settings;
    this.stats = stats;
    this.intake = intake;
    this.listener = listener;
    this.acks = new EpochAcks(connectionId + "/" + trigger.clientId(), vertx, stats);
    this.sharedTemplates =
        settings.subscriptions().stream()
            .filter(s -> s.shared().isPresent())
            .map(SubscriptionSettings::template)
            .toList();
  }

  @Override
  public String peerId() {
    return trigger.clientId();
  }

  @Override
  public boolean wasAdopted() {
    return adopted;
  }

  @Override
  public byte[] triggerPayload() {
    return triggerPayload.clone();
  }

  @Override
  public void start() {
    vertx
        .executeBlocking(
            () -> {
              MqttAsyncClient c =
                  new MqttAsyncClient(settings.url().toString(), peerId(), new MemoryPersistence());
              c.setManualAcks(true);
              c.setCallback(this);
              acks.attach(c);
              client = c;
              MqttConnectionOptions o =
                  ConnectionOptions.adopter(
                      settings, Takeover.offline(peerId(), settings.shareGroups()));
              // Adopting means resuming: never throw the peer's queued messages away.
              o.setCleanStart(false);
              c.connect(
                  o,
                  null,
                  new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                      connected(token.getSessionPresent());
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                      end(End.FAILED, MqttErrors.describe(e));
                    }
                  });
              return null;
            },
            false)
        .onFailure(e -> end(End.FAILED, MqttErrors.describe(e)));
  }

  private void connected(boolean sessionPresent) {
    if (stopping) {
      return;
    }
    if (!sessionPresent) {
      // The session expired (or never was): end it now and clear the stale presence.
      vertx.executeBlocking(
          () -> {
            MqttAsyncClient c = client;
            publishQuietly(c, new byte[0]);
            MqttProperties props = new MqttProperties();
            props.setSessionExpiryInterval(0L);
            try {
              c.disconnect(1_000, null, null, 0, props).waitForCompletion(3_000);
            } catch (MqttException | RuntimeException e) {
              LOG.debug("MQTT {}: disconnect of {}: {}", connectionId, peerId(), e.toString());
            }
            end(End.EXPIRED, "the broker no longer had the session");
            return null;
          },
          false);
      return;
    }
    Presence adopted =
        new Presence(
            Presence.State.ADOPTED,
            peerId(),
            trigger.groups(),
            java.util.Optional.of(ownClientId),
            System.currentTimeMillis());
    publishQuietly(client, adopted.toJson());
    this.adopted = true;
    listener.adopted(this);
  }

  private void publishQuietly(MqttAsyncClient c, byte[] payload) {
    try {
      c.publish(settings.takeover().presenceTopic(peerId()), payload, 1, true);
    } catch (MqttException | RuntimeException e) {
      LOG.debug("MQTT {}: presence of {} not published: {}", connectionId, peerId(), e.toString());
    }
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    // Never throw here: an exception from messageArrived makes Paho drop the connection.
    try {
      if (settings.takeover().clientIdOf(topic).isPresent()) {
        // The peer's own presence subscription; our own session sees the same messages.
        acks.ack(message.getId(), message.getQos(), acks.current());
        return;
      }
      if (!onSharedSubscription(topic)) {
        // The peer's copy of a non-shared subscription: our own session has it too. Taking it
        // here would only add duplicates (and old Sparkplug sequence numbers).
        stats.increment(MqttStats.TAKEOVER_UNSHARED_SKIPPED);
        acks.ack(message.getId(), message.getQos(), acks.current());
        return;
      }
      stats.increment(MqttStats.TAKEOVER_MESSAGES);
      intake.onMessage(
          topic, message.getId(), message.getQos(), message.getPayload(), acks.current(), acks);
    } catch (Throwable t) {
      LOG.error("MQTT {}: adopted message handler failed on '{}'", connectionId, topic, t);
    }
  }

  private boolean onSharedSubscription(String topic) {
    for (TopicTemplate t : sharedTemplates) {
      if (t.match(topic).isPresent()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    acks.connectionEnded();
    if (stopping) {
      return;
    }
    int code =
        response.getException() != null
            ? response.getException().getReasonCode()
            : response.getReturnCode();
    if (code == RC_SESSION_TAKEN_OVER) {
      end(End.TAKEN_OVER, "session taken over (0x8E)");
    } else {
      end(
          End.LOST,
          response.getException() != null
              ? MqttErrors.describe(response.getException())
              : "broker disconnected (reason code 0x" + Integer.toHexString(code) + ")");
    }
  }

  private void end(End end, String detail) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    acks.connectionEnded();
    if (end != End.STOPPED) {
      // Off Paho's callback thread: closing from it would wait for itself.
      vertx.executeBlocking(
          () -> {
            closeQuietly();
            return null;
          },
          false);
    }
    listener.ended(this, end, detail);
  }

  /**
   * Planned stop: disconnects with the will (0x04), so that after {@code takeover.delay} another
   * member adopts the session again. Unacknowledged messages stay in the session. Blocks: runs on a
   * worker.
   */
  @Override
  public Future<Void> stop() {
    stopping = true;
    return vertx
        .executeBlocking(
            () -> {
              MqttAsyncClient c = client;
              if (c != null && c.isConnected()) {
                try {
                  c.disconnect(1_000, null, null, RC_DISCONNECT_WITH_WILL, new MqttProperties())
                      .waitForCompletion(3_000);
                } catch (MqttException | RuntimeException e) {
                  LOG.debug("MQTT {}: disconnect of {}: {}", connectionId, peerId(), e.toString());
                }
              }
              closeQuietly();
              end(End.STOPPED, "stopping");
              return null;
            },
            false)
        .mapEmpty();
  }

  private void closeQuietly() {
    MqttAsyncClient c = client;
    if (c == null) {
      return;
    }
    try {
      c.disconnectForcibly(0, 1_000, false);
    } catch (MqttException | RuntimeException e) {
      LOG.trace("MQTT {}: forced disconnect of {}: {}", connectionId, peerId(), e.toString());
    }
    try {
      c.close(true);
    } catch (MqttException | RuntimeException e) {
      LOG.debug("MQTT {}: close of {}: {}", connectionId, peerId(), e.toString());
    }
  }

  @Override
  public void mqttErrorOccurred(MqttException e) {
    LOG.warn(
        "MQTT {}: protocol error on adopted session {}: {}",
        connectionId,
        peerId(),
        MqttErrors.describe(e));
  }

  @Override
  public void deliveryComplete(IMqttToken token) {}

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {}

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {}
}
