package io.atelier.bench;

import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The signals of one machine as the benchmarks feed them: 20 signals of the simulators' kinds and
 * types (2 strings, 3 integers, 13 floats, 2 booleans), with values shaped like real ones. Floats
 * are mostly rounded to 3 decimals, as the simulators publish them, and one in four is a widened
 * OPC UA {@code Float} ({@code 23.399999618530273}), the worst case for number formatting. Seeded,
 * so every run sees the same stream.
 */
public final class MachineSignals {

  /** Signal names in publishing order. */
  public static final List<String> NAMES =
      List.of(
          "state",
          "operation_mode",
          "good_count",
          "reject_count",
          "cycle_time_s",
          "ideal_cycle_time_s",
          "spindle_speed",
          "power_kw",
          "energy_kwh",
          "temperature_c",
          "feed_rate_mm_min",
          "spindle_load_pct",
          "axis_x_mm",
          "axis_y_mm",
          "axis_z_mm",
          "coolant_flow_lpm",
          "vibration_mm_s",
          "door_closed",
          "alarm_active",
          "alarm_code");

  /** The epoch of the first message: 2025-11-29T04:20:00Z. */
  public static final long T0 = 1_764_390_000_000L;

  private static final String[] STATES = {"PRODUCING", "PRODUCING", "PRODUCING", "IDLE", "DOWN"};

  private final Random random;
  private long good;
  private long reject;
  private double energy = 1_250.0;
  private String state = "PRODUCING";

  public MachineSignals(long seed) {
    this.random = new Random(seed);
  }

  /** The machine path used by every benchmark for machine {@code id}. */
  public static MachineRef ref(String id) {
    return new MachineRef("platform", "hall-a", "machining", id);
  }

  /** Machine ids {@code cnc-000} … in a fleet of {@code n}. */
  public static String machineId(int i) {
    return String.format("cnc-%03d", i);
  }

  /** The values of the next epoch, one per name of {@link #NAMES}, as decoders produce them. */
  public Object[] next() {
    good += random.nextInt(8) == 0 ? 1 : 0;
    reject += random.nextInt(200) == 0 ? 1 : 0;
    energy += 0.004;
    if (random.nextInt(200) == 0) {
      state = STATES[random.nextInt(STATES.length)]; // about once a minute at 4 epochs per second
    }
    return new Object[] {
      state,
      random.nextInt(50) == 0 ? "MANUAL" : "AUTO",
      good,
      reject,
      real(42.0, 3.0),
      42.0,
      real(12_000, 400),
      real(7.5, 1.5),
      Math.round(energy * 1000) / 1000.0,
      real(35, 5),
      real(2_400, 100),
      real(60, 20),
      real(-150, 300),
      real(80, 120),
      real(-20, 40),
      real(12, 1),
      real(1.2, 0.8),
      random.nextInt(20) != 0,
      random.nextInt(30) == 0,
      (long) (random.nextInt(30) == 0 ? 1000 + random.nextInt(50) : 0)
    };
  }

  private double real(double base, double spread) {
    double v = base + spread * (random.nextDouble() - 0.5);
    return random.nextInt(4) == 0 ? (double) (float) v : Math.round(v * 1000) / 1000.0;
  }

  /**
   * {@code n} samples of {@code machines} machines, epoch after epoch (every machine's 20 signals
   * per epoch, epochs {@code periodMillis} apart), as the connectors hand them to the gateway.
   */
  public static List<Sample> samples(int n, int machines, long periodMillis, long seed) {
    List<Sample> out = new ArrayList<>(n);
    MachineSignals[] sources = new MachineSignals[machines];
    for (int m = 0; m < machines; m++) {
      sources[m] = new MachineSignals(seed + m);
    }
    for (long epoch = 0; out.size() < n; epoch++) {
      Instant t = Instant.ofEpochMilli(T0 + epoch * periodMillis);
      for (int m = 0; m < machines && out.size() < n; m++) {
        Object[] values = sources[m].next();
        for (int s = 0; s < NAMES.size() && out.size() < n; s++) {
          out.add(Sample.good(machineId(m), NAMES.get(s), values[s], t));
        }
      }
    }
    return out;
  }
}
