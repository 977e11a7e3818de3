package io.atelier.connector.mqtt;

import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that happens to one received message: route, decode, count and dead-letter what is
 * bad, hand the samples to the sink, and acknowledge the message only once the sink says they are
 * durable. Bad messages are acknowledged at once (they will never get better). When the sink
 * refuses, the message stays unacknowledged and is offered again after a capped backoff; the broker
 * also redelivers it after a reconnect.
 *
 * <p>{@link #onMessage} runs on Paho's callback thread and never throws or blocks.
 */
final class MessageIntake {

  private static final Logger LOG = LoggerFactory.getLogger(MessageIntake.class);
  static final long RETRY_MIN_MILLIS = 100;
  static final long RETRY_MAX_MILLIS = 10_000;

  /** Sends the MQTT acknowledgement for a message received on connection {@code epoch}. */
  interface Acknowledger {
    void ack(int messageId, int qos, long epoch);
  }

  /** Runs a task later, off the caller's thread. */
  interface Scheduler {
    void schedule(long delayMillis, Runnable task);
  }

  private final String connectionId;
  private final MqttMapping mapping;
  private final int maxPayloadBytes;
  private final PlainDecoder plain = new PlainDecoder();
  private final JsonValueDecoder jsonValue;
  private final JsonBatchDecoder jsonBatch;
  private final SparkplugDecoder sparkplug;
  private final MqttRejections rejections;
  private final MqttStats stats;
  private final SampleSink sink;
  private final Acknowledger acks;
  private final Scheduler scheduler;
  // Held (shared) while handing to the sink; stop() takes it exclusively so that no sample is
  // handed over after stop completes.
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private volatile boolean open = true;

  MessageIntake(
      String connectionId,
      MqttMapping mapping,
      MqttSettings settings,
      SparkplugDecoder sparkplug,
      MqttRejections rejections,
      MqttStats stats,
      SampleSink sink,
      Acknowledger acks,
      Scheduler scheduler) {
    this.connectionId = connectionId;
    this.mapping = mapping;
    this.maxPayloadBytes = settings.maxPayloadBytes();
    JsonSupport json = new JsonSupport(settings.maxJsonDepth());
    this.jsonValue = new JsonValueDecoder(json);
    this.jsonBatch = new JsonBatchDecoder(json);
    this.sparkplug = sparkplug;
    this.rejections = rejections;
    this.stats = stats;
    this.sink = sink;
    this.acks = acks;
    this.scheduler = scheduler;
  }

  /** Decodes one message (no side effects beyond Sparkplug state); exposed for tests. */
  Decoded decode(String topic, byte[] payload, Instant receivedAt) {
    if (payload.length > maxPayloadBytes) {
      return Decoded.rejected(
          RejectReason.PAYLOAD_TOO_LARGE,
          payload.length + " bytes, more than maxPayloadBytes " + maxPayloadBytes);
    }
    if (mapping.isSparkplug(topic)) {
      return sparkplug.decode(topic, payload, receivedAt);
    }
    RouteResult routed = mapping.route(topic);
    if (routed instanceof RouteResult.Refused r) {
      return Decoded.rejected(r.reason(), r.detail());
    }
    Route route = ((RouteResult.Found) routed).route();
    return switch (route.decoder()) {
      case PLAIN -> plain.decode(route, payload, receivedAt);
      case JSON_VALUE -> jsonValue.decode(route, payload, receivedAt);
      case JSON_BATCH -> jsonBatch.decode(route, payload, receivedAt);
      case SPARKPLUG -> Decoded.rejected(RejectReason.UNKNOWN_TOPIC, "not a Sparkplug topic");
    };
  }

  /** Handles one message from Paho. Never throws. */
  void onMessage(String topic, int messageId, int qos, byte[] payload, long epoch) {
    onMessage(topic, messageId, qos, payload, epoch, acks);
  }

  /**
   * Handles one message that arrived on another session (an adopted one, see {@link Takeover}),
   * acknowledged through that session's {@code acker}. Never throws.
   */
  void onMessage(
      String topic, int messageId, int qos, byte[] payload, long epoch, Acknowledger acker) {
    if (!gate.readLock().tryLock()) {
      return; // stopping: leave it unacknowledged, the broker keeps it
    }
    try {
      if (!open) {
        return;
      }
      stats.increment(MqttStats.MESSAGES_RECEIVED);
      Instant receivedAt = Instant.now();
      Decoded decoded;
      try {
        decoded = decode(topic, payload, receivedAt);
      } catch (RuntimeException | StackOverflowError e) {
        LOG.error("MQTT {}: decoder failed on topic '{}'", connectionId, topic, e);
        decoded = Decoded.rejected(RejectReason.INTERNAL_ERROR, e.getClass().getSimpleName());
      }
      try {
        rejections.record(topic, decoded.issues(), payload, receivedAt);
      } catch (RuntimeException e) {
        LOG.error("MQTT {}: cannot record a rejection", connectionId, e);
      }
      if (decoded.samples().isEmpty()) {
        if (!decoded.issues().isEmpty()) {
          stats.increment(MqttStats.MESSAGES_REJECTED);
        }
        acker.ack(messageId, qos, epoch);
        return;
      }
      hand(new Delivery(topic, messageId, qos, epoch, decoded.samples(), acker), 0);
    } catch (RuntimeException e) {
      LOG.error("MQTT {}: unexpected failure on topic '{}'", connectionId, topic, e);
    } finally {
      gate.readLock().unlock();
    }
  }

  private record Delivery(
      String topic, int messageId, int qos, long epoch, List<Sample> samples, Acknowledger acker) {}

  private void hand(Delivery d, int attempt) {
    AtomicBoolean done = new AtomicBoolean();
    stats.add(MqttStats.SAMPLES_HANDED, d.samples().size());
    sink.acceptAll(
        d.samples(),
        Completion.of(
            () -> {
              if (done.compareAndSet(false, true)) {
                d.acker().ack(d.messageId(), d.qos(), d.epoch());
              }
            },
            cause -> {
              if (done.compareAndSet(false, true)) {
                refused(d, attempt, cause);
              }
            }));
  }

  private void refused(Delivery d, int attempt, Throwable cause) {
    stats.increment(MqttStats.SINK_REFUSALS);
    if (d.qos() == 0) {
      // QoS 0 promises nothing and the broker keeps no copy; say so and move on.
      stats.increment(MqttStats.QOS0_DROPPED);
      if (stats.get(MqttStats.QOS0_DROPPED) <= 10) {
        LOG.warn(
            "MQTT {}: pipeline refused a QoS 0 message on '{}', dropped: {}",
            connectionId,
            d.topic(),
            String.valueOf(cause));
      }
      return;
    }
    if (attempt == 0 && stats.get(MqttStats.SINK_REFUSALS) <= 10) {
      LOG.warn(
          "MQTT {}: pipeline refused a message on '{}' ({}); it stays unacknowledged and is"
              + " offered again",
          connectionId,
          d.topic(),
          String.valueOf(cause));
    }
    long delay = Math.min(RETRY_MAX_MILLIS, RETRY_MIN_MILLIS << Math.min(attempt, 20));
    scheduler.schedule(
        delay,
        () -> {
          if (!gate.readLock().tryLock()) {
            return;
          }
          try {
            if (open) {
              hand(d, attempt + 1);
            }
          } catch (RuntimeException e) {
            LOG.error("MQTT {}: retry failed on '{}'", connectionId, d.topic(), e);
          } finally {
            gate.readLock().unlock();
          }
        });
  }

  /**
   * Stops handing samples to the sink. Blocks until every hand-over in progress has finished, so
   * call it off the event loop.
   */
  void close() {
    gate.writeLock().lock();
    try {
      open = false;
    } finally {
      gate.writeLock().unlock();
    }
  }

  boolean isOpen() {
    return open;
  }
}
