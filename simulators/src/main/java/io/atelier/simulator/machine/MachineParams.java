package io.atelier.simulator.machine;

import io.atelier.connector.api.config.ConfigNode;
import java.time.Duration;

/**
 * How one simulated machine behaves. Every duration distribution is drawn from the machine's own
 * seeded generator.
 *
 * @param idealCycleTime the fastest a part can be made (ISO 22400 PRU)
 * @param speed effectiveness factor: the actual cycle is {@code ideal / speed}, before jitter
 * @param cycleJitter each cycle is slower by up to this fraction, uniformly drawn (0 = exact)
 * @param scrapRate probability that a finished part is a reject
 * @param mtbf producing time between faults
 * @param mttr repair time of a fault
 * @param microStopInterval producing time between micro-stops
 * @param microStopDuration length of a micro-stop
 * @param idleProbability after each part, the probability that the machine is starved or blocked
 * @param idleDuration how long it then stays idle
 * @param jobSize parts per job; 0 means one endless job (no changeovers)
 * @param setupTime length of a job changeover
 * @param resetCountersPerJob whether good and reject counters restart at 0 with each job
 * @param counterWrap largest counter value; the next part makes it 0
 */
public record MachineParams(
    Duration idealCycleTime,
    double speed,
    double cycleJitter,
    double scrapRate,
    Distribution mtbf,
    Distribution mttr,
    Distribution microStopInterval,
    Distribution microStopDuration,
    double idleProbability,
    Distribution idleDuration,
    long jobSize,
    Distribution setupTime,
    boolean resetCountersPerJob,
    long counterWrap) {

  /** Default counter maximum: a signed 32-bit PLC counter. */
  public static final long DEFAULT_COUNTER_WRAP = Integer.MAX_VALUE;

  public MachineParams {
    if (idealCycleTime.toMillis() < 1) {
      throw new IllegalArgumentException("ideal cycle time must be at least 1 ms");
    }
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be greater than zero");
    }
    if (counterWrap < 1) {
      throw new IllegalArgumentException("counter wrap must be at least 1");
    }
  }

  /** A machine that only produces: no faults, stops, scrap, jitter or jobs. For tests and load. */
  public static MachineParams steady(Duration idealCycleTime) {
    return new MachineParams(
        idealCycleTime,
        1.0,
        0.0,
        0.0,
        Distribution.never(),
        Distribution.fixed(Duration.ofMinutes(5)),
        Distribution.never(),
        Distribution.fixed(Duration.ofSeconds(10)),
        0.0,
        Distribution.fixed(Duration.ofSeconds(30)),
        0,
        Distribution.fixed(Duration.ofMinutes(10)),
        false,
        DEFAULT_COUNTER_WRAP);
  }

  /** Realistic defaults for a machine type, overridden key by key from YAML. */
  public static MachineParams defaults(MachineType type) {
    return switch (type) {
      // cycle s, speed, jitter, scrap, MTBF min, MTTR min, MTTR sd min, micro-stops/h, job size,
      // setup min
      case CNC_MILL -> typical(45, 0.92, 0.04, 0.02, 120, 6, 3, 4, 100, 12);
      case ROBOT_CELL -> typical(20, 0.95, 0.03, 0.005, 180, 4, 2, 6, 150, 5);
      case INJECTION_MOULDING -> typical(30, 0.97, 0.02, 0.03, 240, 10, 4, 2, 200, 25);
      case CONVEYOR -> typical(6, 0.98, 0.02, 0.0, 480, 3, 1, 10, 0, 1);
      case PRINTER_3D -> typical(2400, 0.90, 0.05, 0.05, 600, 20, 8, 0.5, 5, 10);
      case ASSEMBLY_STATION -> typical(25, 0.93, 0.04, 0.01, 180, 5, 2, 8, 150, 8);
    };
  }

  private static MachineParams typical(
      long cycleS,
      double speed,
      double jitter,
      double scrap,
      long mtbfMin,
      long mttrMin,
      long mttrSdMin,
      double microStopsPerHour,
      long jobSize,
      long setupMin) {
    return new MachineParams(
        Duration.ofSeconds(cycleS),
        speed,
        jitter,
        scrap,
        Distribution.exponential(Duration.ofMinutes(mtbfMin)),
        Distribution.lognormal(Duration.ofMinutes(mttrMin), Duration.ofMinutes(mttrSdMin)),
        perHour(microStopsPerHour),
        Distribution.uniform(Duration.ofSeconds(5), Duration.ofSeconds(30)),
        0.02,
        Distribution.uniform(Duration.ofSeconds(20), Duration.ofMinutes(2)),
        jobSize,
        Distribution.lognormal(Duration.ofMinutes(setupMin), Duration.ofSeconds(setupMin * 20)),
        true,
        DEFAULT_COUNTER_WRAP);
  }

  private static Distribution perHour(double perHour) {
    if (perHour <= 0) {
      return Distribution.never();
    }
    return Distribution.exponential(Duration.ofMillis(Math.round(3_600_000 / perHour)));
  }

  /**
   * Reads the parameters of one machine entry, starting from {@code defaults}; every problem is
   * recorded in the node's problems with its YAML path.
   */
  public static MachineParams read(ConfigNode m, MachineParams defaults) {
    Duration ideal = m.duration("ideal-cycle-time", defaults.idealCycleTime());
    if (ideal.toMillis() < 1) {
      m.problems().add(m.path("ideal-cycle-time"), "must be at least 1ms", ideal);
      ideal = defaults.idealCycleTime();
    }
    double speed = m.number("speed", defaults.speed(), 0.01, 2.0);
    double jitter = m.number("cycle-jitter", defaults.cycleJitter(), 0.0, 1.0);
    double scrap = m.number("scrap-rate", defaults.scrapRate(), 0.0, 1.0);
    Distribution mtbf = Distribution.read(m, "mtbf", defaults.mtbf());
    Distribution mttr = Distribution.read(m, "mttr", defaults.mttr());

    Distribution microInterval = defaults.microStopInterval();
    Distribution microDuration = defaults.microStopDuration();
    ConfigNode micro = m.childOrEmpty("micro-stops");
    if (micro.has("per-hour") && micro.has("every")) {
      micro.problems().add(micro.path("every"), "give either per-hour or every, not both");
    }
    if (micro.has("per-hour")) {
      microInterval = perHour(micro.number("per-hour", 0, 0, 3600));
    }
    microInterval = Distribution.read(micro, "every", microInterval);
    microDuration = Distribution.read(micro, "duration", microDuration);
    micro.rejectUnknownKeys();

    ConfigNode idle = m.childOrEmpty("idle");
    double idleProbability = idle.number("probability", defaults.idleProbability(), 0.0, 1.0);
    Distribution idleDuration = Distribution.read(idle, "duration", defaults.idleDuration());
    idle.rejectUnknownKeys();

    ConfigNode job = m.childOrEmpty("job");
    long jobSize = job.integer("size", defaults.jobSize(), 0L, Long.MAX_VALUE);
    Distribution setup = Distribution.read(job, "setup-time", defaults.setupTime());
    boolean reset = job.bool("reset-counters", defaults.resetCountersPerJob());
    job.rejectUnknownKeys();

    long wrap = m.integer("counter-wrap", defaults.counterWrap(), 1L, Long.MAX_VALUE - 1);
    mttr = mustEnd(m, "mttr", mttr, defaults.mttr());
    microDuration = mustEnd(micro, "duration", microDuration, defaults.microStopDuration());
    idleDuration = mustEnd(idle, "duration", idleDuration, defaults.idleDuration());
    setup = mustEnd(job, "setup-time", setup, defaults.setupTime());
    return new MachineParams(
        ideal,
        speed,
        jitter,
        scrap,
        mtbf,
        mttr,
        microInterval,
        microDuration,
        idleProbability,
        idleDuration,
        jobSize,
        setup,
        reset,
        wrap);
  }

  private static Distribution mustEnd(
      ConfigNode node, String key, Distribution value, Distribution fallback) {
    if (value.isNever()) {
      node.problems().add(node.path(key), "must end: never is not allowed here");
      return fallback;
    }
    return value;
  }
}
