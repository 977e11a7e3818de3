package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledgement rules of the intake, with an in-process sink and scheduler (no broker needed:
 * these are the connector's own decisions; the broker side is covered by the ITs).
 */
class MessageIntakeTest {

  static final String TOPIC = "atelier/platform/hall-a/assembly/conveyor-01/state";

  @TempDir Path dir;

  record Ack(int id, int qos, long epoch) {}

  final List<Ack> acks = new ArrayList<>();
  final List<Completion> pending = new ArrayList<>();
  final List<List<Sample>> handed = new ArrayList<>();
  final List<Runnable> scheduled = new ArrayList<>();
  final MqttStats stats = new MqttStats();

  final SampleSink holdingSink =
      (samples, completion) -> {
        handed.add(samples);
        pending.add(completion);
      };

  MessageIntake intake(SampleSink sink) {
    return Fixtures.intake(
        Fixtures.DEMO,
        sink,
        (id, qos, epoch) -> acks.add(new Ack(id, qos, epoch)),
        (delay, task) -> scheduled.add(task),
        new Fixtures.Rebirths(),
        dir.resolve("dl.jsonl"),
        stats);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void acknowledgesOnlyAfterTheSinkSucceeded() {
    MessageIntake intake = intake(holdingSink);
    intake.onMessage(TOPIC, 7, 1, bytes("{\"ts\":1,\"value\":\"IDLE\"}"), 3);
    assertThat(handed).hasSize(1);
    assertThat(acks).isEmpty();

    pending.get(0).succeeded();

    assertThat(acks).containsExactly(new Ack(7, 1, 3));
  }

  @Test
  void refusedMessageStaysUnacknowledgedAndIsOfferedAgain() {
    MessageIntake intake = intake(holdingSink);
    intake.onMessage(TOPIC, 8, 1, bytes("{\"value\":1}"), 0);
    pending.get(0).failed(new IllegalStateException("queue full"));
    assertThat(acks).isEmpty();
    assertThat(scheduled).hasSize(1);

    scheduled.get(0).run();
    assertThat(handed).hasSize(2);
    pending.get(1).succeeded();

    assertThat(acks).containsExactly(new Ack(8, 1, 0));
    assertThat(stats.get(MqttStats.SINK_REFUSALS)).isEqualTo(1);
  }

  @Test
  void refusedQos0MessageIsDroppedAndCounted() {
    MessageIntake intake = intake(holdingSink);
    intake.onMessage(TOPIC, 0, 0, bytes("{\"value\":1}"), 0);
    pending.get(0).failed(new IllegalStateException("queue full"));
    assertThat(scheduled).isEmpty();
    assertThat(stats.get(MqttStats.QOS0_DROPPED)).isEqualTo(1);
  }

  @Test
  void badMessageIsCountedDeadLetteredAndAcknowledgedAtOnce() throws Exception {
    MessageIntake intake = intake(holdingSink);
    intake.onMessage(TOPIC, 9, 1, bytes("{not json"), 0);
    assertThat(handed).isEmpty();
    assertThat(acks).containsExactly(new Ack(9, 1, 0));
    assertThat(stats.get(MqttStats.MESSAGES_REJECTED)).isEqualTo(1);
    String line = Files.readString(dir.resolve("dl.jsonl"));
    assertThat(line)
        .contains("\"topic\":\"" + TOPIC + "\"")
        .contains("\"reason\":\"malformed-json\"");
    assertThat(line).contains(java.util.Base64.getEncoder().encodeToString(bytes("{not json")));
  }

  @Test
  void nothingReachesTheSinkAfterClose() {
    MessageIntake intake = intake(holdingSink);
    intake.onMessage(TOPIC, 1, 1, bytes("{\"value\":1}"), 0);
    pending.get(0).failed(new IllegalStateException("x"));

    intake.close();
    intake.onMessage(TOPIC, 2, 1, bytes("{\"value\":2}"), 0);
    scheduled.forEach(Runnable::run);

    assertThat(handed).hasSize(1);
    assertThat(acks).isEmpty();
  }

  @Test
  void aSinkThatThrowsDoesNotEscape() {
    MessageIntake intake =
        intake(
            (samples, completion) -> {
              throw new IllegalStateException("broken sink");
            });
    intake.onMessage(TOPIC, 1, 1, bytes("{\"value\":1}"), 0);
    intake.onMessage(TOPIC, 2, 1, bytes("{oops"), 0);
    assertThat(acks).containsExactly(new Ack(2, 1, 0));
  }

  @Test
  void aCompletionCalledTwiceAcksOnce() {
    MessageIntake intake = intake(holdingSink);
    intake.onMessage(TOPIC, 5, 1, bytes("{\"value\":1}"), 0);
    pending.get(0).succeeded();
    pending.get(0).succeeded();
    pending.get(0).failed(new RuntimeException());
    assertThat(acks).hasSize(1);
    assertThat(scheduled).isEmpty();
  }
}
