package io.atelier.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.Sample;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LastValuesTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static Sample s(String machine, String signal, double value, int sourceS, int recvS) {
    return Sample.good(machine, signal, value, T.plusSeconds(sourceS), T.plusSeconds(recvS));
  }

  @Test
  void countsRunsOfMachinesAndKeepsTheNewestBySourceTime() {
    LastValues lv = new LastValues();
    lv.accept(
        List.of(
            s("a", "x", 1, 10, 10),
            s("a", "y", 2, 10, 11),
            s("b", "x", 3, 10, 12),
            s("a", "x", 4, 5, 13), // late: older source time, must not replace
            s("a", "x", 5, 20, 9),
            s("b", "x", 6, 30, 14)));
    lv.accept(List.of(s("b", "z", 7, 1, 2)));

    assertThat(lv.count("a")).isEqualTo(4);
    assertThat(lv.count("b")).isEqualTo(3);
    assertThat(lv.count("c")).isZero();
    assertThat(lv.signals("a").get("x").value()).isEqualTo(5.0);
    assertThat(lv.signals("a").get("y").value()).isEqualTo(2.0);
    assertThat(lv.signals("b").get("x").value()).isEqualTo(6.0);
    assertThat(lv.signals("b")).containsKeys("x", "z");
    assertThat(lv.lastReceived("a")).contains(T.plusSeconds(13));
    assertThat(lv.lastReceived("b")).contains(T.plusSeconds(14));
    assertThat(lv.lastReceived("c")).isEmpty();
  }
}
