package io.atelier.connector.mqtt;

import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.ConnectorStatus.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Paho MQTT v5 client of one connection: persistent session, our own reconnect loop, subscribe
 * after every connect whose session the broker did not keep, manual acknowledgements, status.
 *
 * <p>We run the reconnect loop ourselves rather than Paho's {@code automaticReconnect}: Paho's does
 * not retry a failed first connect, ignores the minimum delay, and keeps its delay in a static
 * field shared by every client in the JVM.
 *
 * <p>Acknowledgements go through {@link EpochAcks}, which never sends one on a later connection.
 */
final class MqttSession implements MqttCallback {

  private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);

  /** Listens to messages; {@code epoch} identifies the connection they came on. */
  interface Inbound {
    void onMessage(String topic, int messageId, int qos, byte[] payload, long epoch);
  }

  private final String connectionId;
  private final Vertx vertx;
  private final MqttSettings settings;
  private final List<SubscriptionSettings> subscriptions;
  private final Path persistenceDir;
  private final MqttStats stats;
  private final Backoff backoff;
  private final EpochAcks acks;
  private final AtomicReference<ConnectorStatus> status =
      new AtomicReference<>(ConnectorStatus.stopped());

  private volatile Inbound inbound = (t, id, q, p, e) -> {};
  private volatile Runnable afterConnect = () -> {};
  private volatile PlannedClose.Farewell farewell;
  private volatile MqttAsyncClient client;
  private volatile boolean running;
  private volatile boolean subscribedOnce;
  private volatile String lastLoggedError = "";
  private long reconnectTimer = -1;

  MqttSession(
      String connectionId,
      Vertx vertx,
      MqttSettings settings,
      List<SubscriptionSettings> subscriptions,
      Path persistenceDir,
      MqttStats stats) {
    this.connectionId = connectionId;
    this.vertx = vertx;
    this.settings = settings;
    this.subscriptions = List.copyOf(subscriptions);
    this.persistenceDir = persistenceDir;
    this.stats = stats;
    this.backoff = new Backoff(settings.reconnectMinDelay(), settings.reconnectMaxDelay());
    this.acks = new EpochAcks(connectionId, vertx, stats);
  }

  /** Where the intake sends its acknowledgements. */
  MessageIntake.Acknowledger acks() {
    return acks;
  }

  void setInbound(Inbound inbound) {
    this.inbound = inbound;
  }

  /** Runs after every successful connect (takeover presence). */
  void setAfterConnect(Runnable afterConnect) {
    this.afterConnect = afterConnect;
  }

  void setFarewell(PlannedClose.Farewell farewell) {
    this.farewell = farewell;
  }

  ConnectorStatus status() {
    return status.get();
  }

  /** Creates the client and makes the first connection attempt; succeeds whatever its outcome. */
  Future<Void> start() {
    running = true;
    setStatus(State.CONNECTING, Optional.empty());
    Promise<Void> firstAttempt = Promise.promise();
    vertx
        .executeBlocking(
            () -> {
              MqttAsyncClient c =
                  new MqttAsyncClient(
                      settings.url().toString(),
                      settings.clientId(),
                      new MqttDefaultFilePersistence(persistenceDir.toString()));
              c.setManualAcks(true);
              c.setCallback(this);
              client = c;
              acks.attach(c);
              return c;
            },
            false)
        .onSuccess(c -> connect(firstAttempt))
        .onFailure(firstAttempt::fail);
    return firstAttempt.future();
  }

  private void connect(Promise<Void> firstAttempt) {
    if (!running) {
      firstAttempt.tryComplete();
      return;
    }
    vertx
        .executeBlocking(
            () -> {
              client.connect(
                  ConnectionOptions.build(settings),
                  null,
                  new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                      connected(token.getSessionPresent(), firstAttempt);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                      connectFailed(e, firstAttempt);
                    }
                  });
              return null;
            },
            false)
        .onFailure(e -> connectFailed(e, firstAttempt));
  }

  private void connected(boolean sessionPresent, Promise<Void> firstAttempt) {
    stats.increment(MqttStats.CONNECTS);
    backoff.reset();
    lastLoggedError = "";
    LOG.info(
        "MQTT {}: connected to {} as {} (session {})",
        connectionId,
        settings.url(),
        settings.clientId(),
        sessionPresent ? "resumed" : "new");
    try {
      afterConnect.run();
    } catch (RuntimeException e) {
      LOG.error("MQTT {}: after-connect action failed", connectionId, e);
    }
    if (sessionPresent && subscribedOnce) {
      setStatus(State.CONNECTED, Optional.empty());
      firstAttempt.tryComplete();
    } else {
      subscribe(firstAttempt);
    }
  }

  private void subscribe(Promise<Void> firstAttempt) {
    MqttSubscription[] subs = new MqttSubscription[subscriptions.size()];
    for (int i = 0; i < subs.length; i++) {
      subs[i] =
          new MqttSubscription(
              subscriptions.get(i).subscriptionFilter(), subscriptions.get(i).qos());
    }
    try {
      client.subscribe(
          subs,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              subscribed(token.getReasonCodes(), firstAttempt);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              subscribeFailed(e, firstAttempt);
            }
          },
          new MqttProperties());
    } catch (MqttException | RuntimeException e) {
      subscribeFailed(e, firstAttempt);
    }
  }

  private void subscribed(int[] codes, Promise<Void> firstAttempt) {
    subscribedOnce = true;
    StringBuilder refused = new StringBuilder();
    for (int i = 0; i < subscriptions.size() && codes != null && i < codes.length; i++) {
      if (codes[i] >= 0x80) {
        String filter = subscriptions.get(i).subscriptionFilter();
        LOG.error(
            "MQTT {}: broker refused subscription '{}' (reason code 0x{})",
            connectionId,
            filter,
            Integer.toHexString(codes[i]));
        refused.append(refused.length() == 0 ? "" : ", ").append(filter);
      }
    }
    setStatus(
        State.CONNECTED,
        refused.length() == 0
            ? Optional.empty()
            : Optional.of("broker refused subscription(s): " + refused));
    firstAttempt.tryComplete();
  }

  private void subscribeFailed(Throwable e, Promise<Void> firstAttempt) {
    LOG.warn("MQTT {}: subscribing failed: {}", connectionId, MqttErrors.describe(e));
    setStatus(State.ERROR, Optional.of("subscribe failed: " + MqttErrors.describe(e)));
    firstAttempt.tryComplete();
    // Still connected but deaf: try again after a while.
    later(() -> subscribe(Promise.promise()));
  }

  private void connectFailed(Throwable e, Promise<Void> firstAttempt) {
    bumpEpoch();
    String why = MqttErrors.describe(e);
    State state = MqttErrors.needsSomeone(e) ? State.ERROR : State.DISCONNECTED;
    if (!why.equals(lastLoggedError)) {
      LOG.warn(
          "MQTT {}: cannot connect to {}: {} (retrying with backoff)",
          connectionId,
          settings.url(),
          why);
      lastLoggedError = why;
    } else {
      LOG.debug("MQTT {}: still cannot connect: {}", connectionId, why);
    }
    setStatus(state, Optional.of(why));
    firstAttempt.tryComplete();
    scheduleReconnect();
  }

  /** Paho: the connection was lost, or the broker sent DISCONNECT. */
  @Override
  public void disconnected(MqttDisconnectResponse response) {
    bumpEpoch();
    if (!running) {
      return;
    }
    stats.increment(MqttStats.CONNECTION_LOSSES);
    String why =
        response.getException() != null
            ? MqttErrors.describe(response.getException())
            : "broker disconnected (reason code " + response.getReturnCode() + ")";
    LOG.warn("MQTT {}: connection to {} lost: {}", connectionId, settings.url(), why);
    setStatus(State.DISCONNECTED, Optional.of(why));
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    later(() -> connect(Promise.promise()));
  }

  private void later(Runnable task) {
    if (!running) {
      return;
    }
    long delay = backoff.nextDelayMillis();
    synchronized (this) {
      if (reconnectTimer >= 0) {
        vertx.cancelTimer(reconnectTimer);
      }
      reconnectTimer =
          vertx.setTimer(
              delay,
              id -> {
                synchronized (this) {
                  reconnectTimer = -1;
                }
                if (running) {
                  task.run();
                }
              });
    }
  }

  private void bumpEpoch() {
    acks.connectionEnded();
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    // Never throw here: an exception from messageArrived makes Paho drop the connection.
    try {
      inbound.onMessage(
          topic, message.getId(), message.getQos(), message.getPayload(), acks.current());
    } catch (Throwable t) {
      LOG.error("MQTT {}: message handler failed on '{}'", connectionId, topic, t);
    }
  }

  /** Publishes without waiting (Sparkplug rebirth requests). Failures are logged, not thrown. */
  void publish(String topic, byte[] payload, int qos) {
    publish(topic, payload, qos, false);
  }

  /** Publishes without waiting; failures are logged, not thrown. */
  void publish(String topic, byte[] payload, int qos, boolean retained) {
    MqttAsyncClient c = client;
    if (c == null || !c.isConnected()) {
      LOG.debug("MQTT {}: not connected, not publishing to {}", connectionId, topic);
      return;
    }
    try {
      c.publish(topic, payload, qos, retained);
    } catch (MqttException | RuntimeException e) {
      LOG.warn("MQTT {}: cannot publish to {}: {}", connectionId, topic, MqttErrors.describe(e));
    }
  }

  /**
   * Subscribes without waiting, outside the configured subscriptions (presence topics): a failure
   * is logged and leaves the status alone.
   */
  void subscribeQuietly(String filter, int qos) {
    MqttAsyncClient c = client;
    if (c == null || !c.isConnected()) {
      return;
    }
    try {
      c.subscribe(
          new MqttSubscription[] {new MqttSubscription(filter, qos)},
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              int[] codes = token.getReasonCodes();
              if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                LOG.warn(
                    "MQTT {}: broker refused subscription '{}' (reason code 0x{})",
                    connectionId,
                    filter,
                    Integer.toHexString(codes[0]));
              }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              LOG.warn(
                  "MQTT {}: subscribing to '{}' failed: {}",
                  connectionId,
                  filter,
                  MqttErrors.describe(e));
            }
          },
          new MqttProperties());
    } catch (MqttException | RuntimeException e) {
      LOG.warn(
          "MQTT {}: subscribing to '{}' failed: {}", connectionId, filter, MqttErrors.describe(e));
    }
  }

  /** Disconnects and closes the client; blocks, so runs on a worker. */
  Future<Void> stop() {
    running = false;
    synchronized (this) {
      if (reconnectTimer >= 0) {
        vertx.cancelTimer(reconnectTimer);
        reconnectTimer = -1;
      }
    }
    return vertx
        .executeBlocking(
            () -> {
              MqttAsyncClient c = client;
              if (c != null) {
                PlannedClose.close(connectionId, c, subscriptions, farewell);
              }
              return null;
            },
            false)
        .onComplete(v -> status.set(ConnectorStatus.stopped().to(State.STOPPED, lastError())))
        .mapEmpty();
  }

  private Optional<String> lastError() {
    return status.get().lastError();
  }

  private void setStatus(State state, Optional<String> error) {
    status.updateAndGet(s -> running || state == State.STOPPED ? s.to(state, error) : s);
  }

  @Override
  public void mqttErrorOccurred(MqttException e) {
    LOG.warn("MQTT {}: protocol error: {}", connectionId, MqttErrors.describe(e));
  }

  @Override
  public void deliveryComplete(IMqttToken token) {}

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {}

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {}
}
