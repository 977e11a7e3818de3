package io.atelier.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

  private static OutboundMessage json(String topic) {
    return new OutboundMessage(topic, new byte[0], 1, false);
  }

  private static OutboundMessage sparkplug(String topic) {
    return new OutboundMessage(topic, new byte[0], 1, true);
  }

  @Test
  void neverHasMoreInFlightThanTheWindow() {
    OutboundQueue q = new OutboundQueue(100);
    q.setWindow(2);
    for (int i = 0; i < 5; i++) {
      q.offer(json("t" + i));
    }
    OutboundMessage a = q.take().orElseThrow();
    q.take().orElseThrow();
    assertThat(q.take()).isEmpty();
    assertThat(q.land(a)).isTrue();
    assertThat(q.land(a)).as("landing twice").isFalse();
    assertThat(q.take()).map(OutboundMessage::topic).contains("t2");
  }

  @Test
  void dropsTheOldestWhenFullAndSaysSo() {
    OutboundQueue q = new OutboundQueue(2);
    q.setWindow(10);
    assertThat(q.offer(json("a"))).isTrue();
    assertThat(q.offer(json("b"))).isTrue();
    assertThat(q.offer(json("c"))).isFalse();
    assertThat(q.take()).map(OutboundMessage::topic).contains("b");
  }

  @Test
  void aBrokenConnectionRequeuesJsonInOrderAndForgetsSparkplug() {
    OutboundQueue q = new OutboundQueue(10);
    q.setWindow(10);
    q.offer(json("a"));
    q.offer(sparkplug("s"));
    q.offer(json("b"));
    q.offer(json("c"));
    q.take();
    q.take();
    q.take();
    assertThat(q.requeueInFlight()).isEqualTo(2);
    assertThat(List.of(q.take(), q.take(), q.take()))
        .map(o -> o.orElseThrow().topic())
        .containsExactly("a", "b", "c");
  }

  @Test
  void birthsGoFirstAndReplaceStaleSparkplugData() {
    OutboundQueue q = new OutboundQueue(10);
    q.setWindow(10);
    q.offer(json("j"));
    q.offer(sparkplug("old-ddata"));
    q.replaceSparkplug(List.of(sparkplug("nbirth"), sparkplug("dbirth")));
    assertThat(List.of(q.take(), q.take(), q.take()))
        .map(o -> o.orElseThrow().topic())
        .containsExactly("nbirth", "dbirth", "j");
    assertThat(q.take()).isEmpty();
  }
}
