package io.atelier.gateway.kpi;

import static io.atelier.gateway.kpi.KpiRig.machine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each ISO 22400 formula against a hand-computed case, driven through the engine as samples, so
 * that the time model, the counters and the formulas are checked together.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KpiFormulasEngineTest {

  private static final String SETTINGS = "lateness: 0s\nstaleAfter: 1h\n";
  private static final String LINE = "platform/hall-a/machining";

  @Test
  void everyKpiMatchesTheHandComputedValues() {
    KpiRig rig =
        new KpiRig(
            KpiRig.MONDAY,
            SETTINGS,
            List.of(machine("cnc-01", LINE + "/cnc-01", "idealCycleTime: 3s")));
    rig.at(0)
        .send("cnc-01", "state", "PRODUCING")
        .send("cnc-01", "good_count", 0L)
        .send("cnc-01", "reject_count", 0L)
        .send("cnc-01", "energy_kwh", 10.0);
    rig.at(359).send("cnc-01", "good_count", 100L).send("cnc-01", "reject_count", 5L);
    rig.at(360).send("cnc-01", "state", "DOWN");
    rig.at(480).send("cnc-01", "state", "IDLE");
    rig.at(540).send("cnc-01", "state", "SETUP");
    rig.at(590).send("cnc-01", "energy_kwh", 12.1);
    rig.at(600).tick();

    // By hand: APT 360 s, ADET 120 s, ADOT 60 s, ASUT 60 s; PBT = 600 s.
    // PQ = 105, GQ = 100, SQ = 5, ideal time = 105 x 3 s = 315 s.
    Map<String, Double> k = rig.kpis("cnc-01", "15m");
    assertThat(k.get("apt_s")).isEqualTo(360.0);
    assertThat(k.get("adet_s")).isEqualTo(120.0);
    assertThat(k.get("adot_s")).isEqualTo(60.0);
    assertThat(k.get("setup_s")).isEqualTo(60.0);
    assertThat(k.get("pbt_s")).isEqualTo(600.0);
    assertThat(k.get("pq")).isEqualTo(105.0);
    assertThat(k.get("gq")).isEqualTo(100.0);
    assertThat(k.get("sq")).isEqualTo(5.0);
    assertThat(k.get("availability")).isCloseTo(0.6, within(1e-12)); // 360 / 600
    assertThat(k.get("effectiveness")).isCloseTo(0.875, within(1e-12)); // 315 / 360
    assertThat(k.get("quality")).isCloseTo(100.0 / 105, within(1e-12));
    assertThat(k.get("oee")).isCloseTo(0.5, within(1e-12)); // 0.6 x 0.875 x 100/105
    assertThat(k.get("throughput_per_h")).isCloseTo(630.0, within(1e-9)); // 105 parts / (600 s)
    assertThat(k.get("setup_ratio")).isCloseTo(60.0 / 420, within(1e-12)); // ASUT/(APT+ASUT)
    assertThat(k.get("technical_efficiency")).isCloseTo(0.75, within(1e-12)); // 360/(360+120)
    assertThat(k.get("scrap_ratio")).isCloseTo(5.0 / 105, within(1e-12));
    assertThat(k.get("failures")).isEqualTo(1.0);
    assertThat(k.get("mtbf_s")).isCloseTo(360.0, within(1e-9)); // APT / failures
    assertThat(k.get("mttr_s")).isCloseTo(120.0, within(1e-9)); // failure time / failures
    assertThat(k.get("energy_kwh")).isCloseTo(2.1, within(1e-9));
    assertThat(k.get("energy_per_part_wh")).isCloseTo(21.0, within(1e-9)); // 2100 Wh / 100

    // A line of one machine has the machine's KPIs.
    assertThat(rig.kpis(LINE, "15m")).isEqualTo(k);
    assertThat(rig.kpis("machining", "15m")).isEqualTo(k);
  }

  @Test
  void aKpiWithAZeroDenominatorIsAbsentNotNaN() {
    KpiRig rig =
        new KpiRig(
            KpiRig.MONDAY,
            SETTINGS,
            List.of(machine("cnc-01", LINE + "/cnc-01", "idealCycleTime: 3s")));
    rig.at(0).send("cnc-01", "state", "DOWN");
    rig.at(60).tick();
    Map<String, Double> k = rig.kpis("cnc-01", "15m");
    assertThat(k.get("availability")).isEqualTo(0.0);
    assertThat(k.get("oee")).isEqualTo(0.0); // no production time: no output
    assertThat(k)
        .doesNotContainKeys("effectiveness", "quality", "scrap_ratio", "energy_per_part_wh");
    assertThat(k.values()).allMatch(v -> !v.isNaN() && !v.isInfinite());
  }

  @Test
  void effectivenessIsUnknownWhileNoIdealCycleTimeIsKnown() {
    KpiRig rig =
        new KpiRig(KpiRig.MONDAY, SETTINGS, List.of(machine("cnc-01", LINE + "/cnc-01", "")));
    rig.at(0).send("cnc-01", "state", "PRODUCING").send("cnc-01", "good_count", 0L);
    rig.at(30).send("cnc-01", "good_count", 10L);
    rig.at(60).tick();
    assertThat(rig.kpis("cnc-01", "15m")).doesNotContainKeys("effectiveness", "oee");

    // Once the ideal cycle time signal arrives, parts made afterwards carry their ideal time.
    KpiRig later =
        new KpiRig(KpiRig.MONDAY, SETTINGS, List.of(machine("cnc-01", LINE + "/cnc-01", "")));
    later.at(0).send("cnc-01", "ideal_cycle_time_s", 2.0).send("cnc-01", "state", "PRODUCING");
    later.send("cnc-01", "good_count", 0L);
    later.at(30).send("cnc-01", "good_count", 10L);
    later.at(60).tick();
    assertThat(later.kpis("cnc-01", "15m").get("effectiveness"))
        .isCloseTo(20.0 / 60, within(1e-12));
  }
}
