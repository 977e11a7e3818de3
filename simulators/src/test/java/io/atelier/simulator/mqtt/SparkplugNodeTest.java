package io.atelier.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;

class SparkplugNodeTest {

  private static MachineInfo device(String id) {
    return new MachineInfo(
        id,
        "3d-printer",
        new MachineRef("platform", "hall-a", "moulding", id),
        "sparkplug",
        List.of(
            new SignalDef("temperature_c", SignalType.DOUBLE, "degC", "T"),
            new SignalDef("good_count", SignalType.LONG, "", "G")));
  }

  private static SparkplugBPayload decode(OutboundMessage m) throws Exception {
    return new SparkplugBPayloadDecoder().buildFromByteArray(m.payload(), null);
  }

  @Test
  void aliasesAreUniqueAcrossTheDevicesOfTheNode() throws Exception {
    SignalBoard board = new SignalBoard();
    Instant t = Instant.now();
    board.define(device("p1"), Map.of("temperature_c", 1.0, "good_count", 1L), t);
    board.define(device("p2"), Map.of("temperature_c", 2.0, "good_count", 2L), t);
    SparkplugNode node = new SparkplugNode("atelier", "simulator", board.machines());
    node.beginConnection();
    Set<Long> aliases = new HashSet<>();
    for (OutboundMessage m : node.births(board)) {
      if (m.topic().contains("DBIRTH")) {
        for (Metric metric : decode(m).getMetrics()) {
          assertThat(aliases.add(metric.getAlias())).as("alias %s", metric.getAlias()).isTrue();
        }
      }
    }
    assertThat(aliases).hasSize(4).doesNotContain(0L);
  }

  @Test
  void bdSeqWrapsAfter255() throws Exception {
    SparkplugNode node = new SparkplugNode("atelier", "simulator", List.of(device("p1")));
    long last = -1;
    for (int i = 0; i < 257; i++) {
      last = node.beginConnection();
    }
    assertThat(last).isEqualTo(0L);
    Metric bdSeq = decode(new OutboundMessage("t", node.death(), 1, true)).getMetrics().get(0);
    assertThat(bdSeq.getName()).isEqualTo("bdSeq");
    assertThat(bdSeq.getValue()).isEqualTo(0L);
  }

  @Test
  void valuesOfTheWrongTypeGiveNoData() {
    MachineInfo p1 = device("p1");
    SparkplugNode node = new SparkplugNode("atelier", "simulator", List.of(p1));
    assertThat(node.data(p1, p1.signals().get(1), 2.5, Instant.now(), 1)).isEmpty();
    assertThat(node.data(p1, p1.signals().get(0), 2, Instant.now(), 1)).isPresent();
  }
}
