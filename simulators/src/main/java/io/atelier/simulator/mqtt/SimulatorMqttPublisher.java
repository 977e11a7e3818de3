package io.atelier.simulator.mqtt;

import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@code mqtt-json} and {@code sparkplug} machines of a {@link SignalBoard} to an
 * MQTT broker with Paho v5.
 *
 * <p>All connection and queue state lives on one thread. Board changes are encoded there and go
 * through a bounded queue; at most the broker's Receive Maximum messages are in flight, so
 * Mosquitto's limit of 20 never turns into "too many publishes in progress" losses. JSON messages
 * caught in flight by a broken connection are queued again (at-least-once); when the queue is full
 * the oldest message is dropped and counted. The connection is re-established with backoff (1 s
 * doubling to 30 s); every connection gets a new Sparkplug bdSeq, its NDEATH as the will, and fresh
 * births.
 */
public final class SimulatorMqttPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorMqttPublisher.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final SignalBoard board;
  private final MqttPublisherSettings settings;
  private final JsonMessages json;
  private final SignalBoard.Listener listener = this::onBoardChange;
  private final Object lock = new Object();

  private final AtomicLong published = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong requeued = new AtomicLong();
  private final AtomicLong pendingTasks = new AtomicLong();

  private volatile ScheduledExecutorService io;
  private volatile boolean connected;
  private CompletableFuture<Void> started = CompletableFuture.completedFuture(null);

  // The fields below are touched only on the io thread.
  private SparkplugNode sparkplug;
  private final OutboundQueue queue;
  private MqttAsyncClient client;
  private int generation;
  private boolean running;
  private long backoffMs = 1000;
  private ScheduledFuture<?> tick;
  private ScheduledFuture<?> reconnect;

  public SimulatorMqttPublisher(SignalBoard board, MqttPublisherSettings settings) {
    this.board = board;
    this.settings = settings;
    this.json = new JsonMessages(settings.qos());
    this.queue = new OutboundQueue(settings.maxQueued());
  }

  /**
   * Starts publishing. Completes when the first connection is up; fails if that first attempt
   * fails, but the publisher keeps trying until {@link #stop()} (see {@link #isConnected()}).
   * Idempotent.
   */
  public CompletableFuture<Void> start() {
    synchronized (lock) {
      if (io != null) {
        return started;
      }
      ScheduledExecutorService exec =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "atelier-mqtt-publisher");
                t.setDaemon(true);
                return t;
              });
      started = new CompletableFuture<>();
      io = exec;
      exec.execute(this::begin);
      board.addListener(listener);
      return started;
    }
  }

  /**
   * Sends the Sparkplug NDEATH (if any Sparkplug machine), disconnects and stops. Messages still
   * queued stay queued for the next {@link #start()}. Idempotent.
   */
  public CompletableFuture<Void> stop() {
    ScheduledExecutorService exec;
    synchronized (lock) {
      exec = io;
      io = null;
      if (exec == null) {
        return CompletableFuture.completedFuture(null);
      }
      board.removeListener(listener);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    exec.execute(
        () -> {
          end();
          exec.shutdown();
          done.complete(null);
        });
    return done;
  }

  public boolean isConnected() {
    return connected;
  }

  /** Messages the broker acknowledged (QoS 1) or that were written (QoS 0). */
  public long publishedCount() {
    return published.get();
  }

  /** Messages dropped because the queue was full or the broker refused them. */
  public long droppedCount() {
    return dropped.get();
  }

  /** Board values that could not be published in their signal's type. */
  public long rejectedCount() {
    return rejected.get();
  }

  /** JSON messages sent again after a connection broke while they were in flight. */
  public long requeuedCount() {
    return requeued.get();
  }

  public MqttPublisherSettings settings() {
    return settings;
  }

  // --- io thread

  private void begin() {
    running = true;
    if (sparkplug == null) {
      List<MachineInfo> devices =
          board.machines().stream()
              .filter(m -> SparkplugNode.PROTOCOL.equals(m.protocol()))
              .toList();
      sparkplug =
          new SparkplugNode(settings.sparkplugGroupId(), settings.sparkplugEdgeNodeId(), devices);
    }
    if (settings.batched()) {
      long ms = settings.batchInterval().toMillis();
      tick =
          io.scheduleAtFixedRate(
              () -> json.tick().forEach(this::enqueue), ms, ms, TimeUnit.MILLISECONDS);
    }
    connect();
  }

  private void end() {
    running = false;
    if (tick != null) {
      tick.cancel(false);
    }
    if (reconnect != null) {
      reconnect.cancel(false);
    }
    MqttAsyncClient c = client;
    client = null;
    generation++;
    if (c != null) {
      try {
        if (connected && sparkplug.hasDevices()) {
          MqttMessage death = new MqttMessage(sparkplug.death());
          death.setQos(1);
          c.publish(sparkplug.topic("NDEATH"), death).waitForCompletion(2000);
        }
        if (c.isConnected()) {
          c.disconnect(1000).waitForCompletion(3000);
        }
      } catch (MqttException e) {
        LOG.warn("MQTT disconnect from {}: {}", settings.brokerUrl(), e.toString());
      }
      closeQuietly(c);
    }
    requeued.addAndGet(queue.requeueInFlight());
    connected = false;
    if (!started.isDone()) {
      started.completeExceptionally(new IllegalStateException("stopped before connecting"));
    }
    LOG.info("MQTT publisher stopped ({} messages still queued)", queue.waitingCount());
  }

  private void connect() {
    if (!running) {
      return;
    }
    int gen = ++generation;
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(false); // ours: each connection needs a new bdSeq and will
    options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
    options.setConnectionTimeout(10);
    if (!settings.username().isEmpty()) {
      options.setUserName(settings.username());
      options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
    }
    if (sparkplug.hasDevices()) {
      sparkplug.beginConnection();
      MqttMessage will = new MqttMessage(sparkplug.death());
      will.setQos(1);
      options.setWill(sparkplug.topic("NDEATH"), will);
    }
    try {
      MqttAsyncClient c =
          new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
      c.setCallback(new Callback(gen));
      client = c;
      c.connect(
          options,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              post(() -> onConnected(gen, token));
            }

            @Override
            public void onFailure(IMqttToken token, Throwable error) {
              post(() -> onConnectFailed(gen, error));
            }
          });
    } catch (MqttException e) {
      onConnectFailed(gen, e);
    }
  }

  private void onConnected(int gen, IMqttToken token) {
    if (gen != generation) {
      return;
    }
    MqttProperties props = token.getResponseProperties();
    Integer receiveMaximum = props == null ? null : props.getReceiveMaximum();
    int window = receiveMaximum == null ? 65_535 : receiveMaximum;
    queue.setWindow(window);
    connected = true;
    backoffMs = 1000;
    LOG.info("MQTT publisher connected to {} (in-flight window {})", settings.brokerUrl(), window);
    if (sparkplug.hasDevices()) {
      try {
        client.subscribe(sparkplug.topic("NCMD"), 1);
      } catch (MqttException e) {
        LOG.warn("Sparkplug: cannot subscribe to NCMD: {}", e.toString());
      }
      birth();
    }
    snapshotJson();
    started.complete(null);
    pump();
  }

  /**
   * Current values of the JSON machines after every connect, so a subscriber that joins late still
   * learns signals that rarely change.
   */
  private void snapshotJson() {
    for (MachineInfo m : board.machines()) {
      if (JsonMessages.PROTOCOL.equals(m.protocol())) {
        for (SignalDef s : m.signals()) {
          board.get(m.id(), s.name()).ifPresent(v -> encode(m, s, v.value(), v.time()));
        }
      }
    }
  }

  private void onConnectFailed(int gen, Throwable error) {
    if (gen != generation) {
      return;
    }
    closeQuietly(client);
    client = null;
    if (!started.isDone()) {
      LOG.warn(
          "MQTT publisher cannot reach {}: {}; retrying in the background",
          settings.brokerUrl(),
          error.toString());
      started.completeExceptionally(
          new IllegalStateException("MQTT broker " + settings.brokerUrl() + ": " + error, error));
    } else {
      LOG.debug("MQTT reconnect to {} failed: {}", settings.brokerUrl(), error.toString());
    }
    scheduleReconnect();
  }

  private void onConnectionLost(int gen, Throwable cause) {
    if (gen != generation || !connected) {
      return;
    }
    connected = false;
    LOG.warn(
        "MQTT publisher lost {}: {}",
        settings.brokerUrl(),
        cause == null ? "disconnected by the broker" : cause.toString());
    requeued.addAndGet(queue.requeueInFlight());
    closeQuietly(client);
    client = null;
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (!running) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    reconnect = io.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /** Births with current values; Sparkplug messages numbered for an earlier birth are dropped. */
  private void birth() {
    queue.replaceSparkplug(sparkplug.births(board));
  }

  private void onBoardChange(MachineInfo machine, SignalDef signal, Object value, Instant time) {
    String protocol = machine.protocol();
    if (!JsonMessages.PROTOCOL.equals(protocol) && !SparkplugNode.PROTOCOL.equals(protocol)) {
      return;
    }
    // Bounded hand-over: the model thread must never wait for the network.
    if (pendingTasks.incrementAndGet() > settings.maxQueued()) {
      pendingTasks.decrementAndGet();
      countDrop("publisher thread backlog full");
      return;
    }
    if (!post(
        () -> {
          pendingTasks.decrementAndGet();
          encode(machine, signal, value, time);
        })) {
      pendingTasks.decrementAndGet();
    }
  }

  private void encode(MachineInfo machine, SignalDef signal, Object value, Instant time) {
    boolean ok;
    if (SparkplugNode.PROTOCOL.equals(machine.protocol())) {
      if (!connected) {
        return; // the births after the reconnect carry the current values
      }
      var message = sparkplug.data(machine, signal, value, time, settings.qos());
      message.ifPresent(this::enqueue);
      ok = message.isPresent();
    } else if (settings.batched()) {
      ok = json.remember(machine, signal, value, time);
    } else {
      var message = json.single(machine, signal, value, time);
      message.ifPresent(this::enqueue);
      ok = message.isPresent();
    }
    if (!ok) {
      long n = rejected.incrementAndGet();
      LOG.warn(
          "{}/{}: value {} cannot be published as {} ({} rejected so far)",
          machine.id(),
          signal.name(),
          value,
          signal.type(),
          n);
    }
  }

  private void enqueue(OutboundMessage message) {
    if (!queue.offer(message)) {
      countDrop("queue full");
    }
    pump();
  }

  private void pump() {
    while (connected) {
      Optional<OutboundMessage> next = queue.take();
      if (next.isEmpty()) {
        return;
      }
      OutboundMessage m = next.get();
      MqttMessage mqtt = new MqttMessage(m.payload());
      mqtt.setQos(m.qos());
      mqtt.setRetained(m.retained());
      int gen = generation;
      try {
        client.publish(
            m.topic(),
            mqtt,
            null,
            new MqttActionListener() {
              @Override
              public void onSuccess(IMqttToken token) {
                post(() -> onDelivered(gen, m));
              }

              @Override
              public void onFailure(IMqttToken token, Throwable error) {
                post(() -> onDeliveryFailed(gen, m, error));
              }
            });
      } catch (MqttException e) {
        if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
          // Paho's window is smaller than we thought: wait for acknowledgements.
          queue.putBack(m);
          queue.shrinkWindowToInFlight();
          return;
        }
        if (e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED) {
          queue.putBack(m);
          return;
        }
        queue.land(m);
        countDrop("publish refused: " + e);
      }
    }
  }

  private void onDelivered(int gen, OutboundMessage m) {
    if (queue.land(m)) {
      published.incrementAndGet();
    }
    if (gen == generation) {
      pump();
    }
  }

  private void onDeliveryFailed(int gen, OutboundMessage m, Throwable error) {
    if (!queue.land(m)) {
      return; // already queued again when the connection broke
    }
    if (gen == generation && connected && client != null && client.isConnected()) {
      countDrop("broker refused " + m.topic() + ": " + error);
      pump();
    } else if (!m.sparkplug()) {
      requeued.incrementAndGet();
      queue.putBack(m);
    }
  }

  private void onRebirthRequest(int gen) {
    if (gen == generation && connected) {
      LOG.info("Sparkplug: rebirth requested");
      birth();
      pump();
    }
  }

  private void countDrop(String reason) {
    long n = dropped.incrementAndGet();
    if (n == 1 || n % 10_000 == 0) {
      LOG.warn("MQTT publisher dropped a message ({}); {} dropped so far", reason, n);
    }
  }

  /** Runs a task on the io thread; false when the publisher is stopped. */
  private boolean post(Runnable task) {
    ScheduledExecutorService exec = io;
    if (exec == null) {
      return false;
    }
    try {
      exec.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private static void closeQuietly(MqttAsyncClient c) {
    if (c == null) {
      return;
    }
    try {
      if (c.isConnected()) {
        c.disconnectForcibly(0, 1000, false);
      }
      c.close(true);
    } catch (MqttException e) {
      LOG.debug("closing MQTT client: {}", e.toString());
    }
  }

  /** Paho's callbacks, tied to one connection. */
  private final class Callback implements MqttCallback {
    private final int gen;

    Callback(int gen) {
      this.gen = gen;
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      post(() -> onConnectionLost(gen, response.getException()));
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.warn("MQTT error: {}", exception.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      // Never throw here: it would kill the connection.
      try {
        if (SparkplugNode.isRebirthRequest(message.getPayload())) {
          post(() -> onRebirthRequest(gen));
        }
      } catch (Exception e) {
        LOG.warn("Sparkplug: undecodable message on {}: {}", topic, e.toString());
      }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
