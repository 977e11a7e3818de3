package io.atelier.simulator.machine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fault reasons and their alarm codes per machine type. Random faults pick one of the type's
 * reasons; a trainer may inject any reason, and one the catalogue does not know gets {@link
 * #OTHER_CODE} so the alarm code signal always carries a number.
 */
public final class AlarmCatalogue {

  /** Alarm code while a micro-stop holds the machine. */
  public static final long MICRO_STOP_CODE = 100;

  /** Alarm code of a fault reason not in the catalogue. */
  public static final long OTHER_CODE = 9000;

  public static final String MICRO_STOP = "micro-stop";

  private static final Map<MachineType, Map<String, Long>> REASONS = build();

  private AlarmCatalogue() {}

  private static Map<MachineType, Map<String, Long>> build() {
    Map<MachineType, Map<String, Long>> m = new LinkedHashMap<>();
    m.put(
        MachineType.CNC_MILL,
        ordered(
            "tool-breakage", 1101L,
            "spindle-overheat", 1102L,
            "coolant-low", 1103L,
            "axis-following-error", 1104L,
            "door-interlock", 1105L));
    m.put(
        MachineType.ROBOT_CELL,
        ordered(
            "collision", 2101L,
            "gripper-fault", 2102L,
            "safety-stop", 2103L,
            "servo-fault", 2104L));
    m.put(
        MachineType.INJECTION_MOULDING,
        ordered(
            "nozzle-freeze", 3101L,
            "heater-band-failure", 3102L,
            "mould-temperature-deviation", 3103L,
            "short-shot", 3104L,
            "hydraulic-pressure-low", 3105L));
    m.put(
        MachineType.CONVEYOR,
        ordered(
            "belt-slip", 4101L,
            "motor-overload", 4102L,
            "jam", 4103L,
            "emergency-stop", 4104L));
    m.put(
        MachineType.PRINTER_3D,
        ordered(
            "filament-runout", 5101L,
            "nozzle-clog", 5102L,
            "bed-adhesion-failure", 5103L,
            "thermal-runaway", 5104L));
    m.put(
        MachineType.ASSEMBLY_STATION,
        ordered(
            "screw-feed-jam", 6101L,
            "press-force-out-of-range", 6102L,
            "part-missing", 6103L,
            "vision-reject-limit", 6104L));
    return Map.copyOf(m);
  }

  private static Map<String, Long> ordered(Object... pairs) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], (Long) pairs[i + 1]);
    }
    return out;
  }

  /** The type's fault reasons, in a stable order (random faults index into it). */
  public static List<String> faultReasons(MachineType type) {
    return List.copyOf(REASONS.get(type).keySet());
  }

  /** The alarm code of a reason on a machine of the given type. */
  public static long code(MachineType type, String reason) {
    if (MICRO_STOP.equals(reason)) {
      return MICRO_STOP_CODE;
    }
    return REASONS.get(type).getOrDefault(reason, OTHER_CODE);
  }
}
