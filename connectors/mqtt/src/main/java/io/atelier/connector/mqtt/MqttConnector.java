package io.atelier.connector.mqtt;

import io.atelier.connector.api.Connector;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT broker connection serving every machine configured on it. Wires the session (Paho), the
 * intake (route, decode, hand over, acknowledge) and the rejection accounting together.
 */
public final class MqttConnector implements Connector {

  private static final Logger LOG = LoggerFactory.getLogger(MqttConnector.class);

  private final String id;
  private final Vertx vertx;
  private final MqttSettings settings;
  private final MqttStats stats = new MqttStats();
  private final DeadLetterFile deadLetters;
  private final MqttRejections rejections;
  private final MqttSession session;
  private final MessageIntake intake;
  private final SparkplugDecoder sparkplug;
  private final Optional<Takeover> takeover;
  private Future<Void> started;
  private Future<Void> stopped;

  MqttConnector(ConnectorContext context, MqttSettings settings, MqttMapping mapping) {
    this.id = context.spec().id();
    this.vertx = context.vertx();
    this.settings = settings;
    Path dataDir = context.dataDir();
    this.deadLetters =
        new DeadLetterFile(settings.deadLetterFile(dataDir), settings.deadLetterMaxBytes());
    this.rejections = new MqttRejections(id, deadLetters);
    this.session =
        new MqttSession(
            id, vertx, settings, mapping.subscriptions(), dataDir.resolve("paho"), stats);
    this.sparkplug =
        new SparkplugDecoder(
            mapping,
            node -> {
              LOG.info(
                  "MQTT {}: asking Sparkplug edge node {}/{} for a rebirth",
                  id,
                  node.group(),
                  node.node());
              session.publish(node.nodeCommandTopic(), SparkplugRebirth.payload(), 0);
            },
            stats);
    this.intake =
        new MessageIntake(
            id,
            mapping,
            settings,
            sparkplug,
            rejections,
            stats,
            context.sink(),
            session.acks(),
            (delay, task) -> vertx.setTimer(delay, t -> task.run()));
    if (settings.takeover().enabled()) {
      Takeover t =
          new Takeover(
              id,
              settings,
              vertx,
              stats,
              (trigger, payload, listener) ->
                  new AdoptedSession(
                      id, trigger, payload, vertx, settings, stats, intake, listener));
      this.takeover = Optional.of(t);
      session.setAfterConnect(() -> t.onOwnConnected(session));
      session.setFarewell(
          new PlannedClose.Farewell(
              settings.takeover().presenceTopic(settings.clientId()),
              t.stoppedPresence().toJson()));
      session.setInbound(
          (topic, messageId, qos, payload, epoch) -> {
            if (t.isPresenceTopic(topic)) {
              t.onPresence(topic, payload);
              session.acks().ack(messageId, qos, epoch);
            } else {
              intake.onMessage(topic, messageId, qos, payload, epoch);
            }
          });
    } else {
      this.takeover = Optional.empty();
      session.setInbound(intake::onMessage);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public synchronized Future<Void> start() {
    if (started == null) {
      LOG.info("MQTT {}: starting ({})", id, settings);
      started = session.start();
    }
    return started;
  }

  @Override
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      if (started == null) {
        stopped = Future.succeededFuture();
      } else {
        // The intake closes first so that nothing reaches the sink once stop has completed.
        stopped =
            vertx
                .executeBlocking(
                    () -> {
                      intake.close();
                      return null;
                    },
                    false)
                // Adopted sessions go back to the broker (with their wills) before we leave.
                .compose(v -> takeover.map(Takeover::stop).orElse(Future.succeededFuture()))
                .compose(v -> session.stop())
                .onComplete(
                    v -> {
                      deadLetters.close();
                      LOG.info("MQTT {}: stopped", id);
                    })
                .mapEmpty();
      }
    }
    return stopped;
  }

  @Override
  public ConnectorStatus status() {
    return session.status();
  }

  /**
   * {@link MqttStats}' counters, plus {@code rejected.<reason>} for every {@link RejectReason}
   * (zeros included, so that a dashboard shows the series before the first rejection).
   */
  @Override
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>(stats.counts());
    for (RejectReason r : RejectReason.values()) {
      out.put("rejected." + r.code(), rejections.count(r));
    }
    return out;
  }

  /** Rejected input per reason. */
  public MqttRejections rejections() {
    return rejections;
  }

  /** Running counters: messages, samples, acknowledgements, reconnects. */
  public MqttStats stats() {
    return stats;
  }

  /** Sessions of crashed shared-subscription members that this connector holds right now. */
  public int adoptedSessions() {
    return takeover.map(Takeover::active).orElse(0);
  }

  /** Where rejected messages are kept. */
  public Path deadLetterFile() {
    return deadLetters.path();
  }
}
