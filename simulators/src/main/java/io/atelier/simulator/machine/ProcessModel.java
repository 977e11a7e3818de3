package io.atelier.simulator.machine;

import java.util.List;
import java.util.Map;

/**
 * The physics of one machine type: what its process values are and how they move, given what the
 * {@link ProductionModel} is doing. Updated once per tick; noise comes from the machine's own
 * generator, separate from the production generator, so noise never changes the state sequence.
 */
public interface ProcessModel {

  /** The type-specific signals, in a stable order. */
  List<SignalDef> signals();

  /**
   * Advances the dynamics by {@code dtSeconds} and puts the value of every signal of {@link
   * #signals()} into {@code out}.
   */
  void update(ProductionModel production, double dtSeconds, Map<String, Object> out);

  /** Electrical power drawn now, kW (feeds {@code power_kw} and {@code energy_kwh}). */
  double powerKw();

  static SignalDef dbl(String name, String unit, String browsePath) {
    return new SignalDef(name, SignalType.DOUBLE, unit, browsePath);
  }

  static SignalDef lng(String name, String unit, String browsePath) {
    return new SignalDef(name, SignalType.LONG, unit, browsePath);
  }

  static SignalDef str(String name, String browsePath) {
    return new SignalDef(name, SignalType.STRING, "", browsePath);
  }

  static SignalDef bool(String name, String browsePath) {
    return new SignalDef(name, SignalType.BOOLEAN, "", browsePath);
  }

  /** Creates the process model of a type. */
  static ProcessModel of(MachineType type, java.util.SplittableRandom noise) {
    return switch (type) {
      case CNC_MILL -> new CncMillProcess(noise);
      case ROBOT_CELL -> new RobotCellProcess(noise);
      case INJECTION_MOULDING -> new InjectionMouldingProcess(noise);
      case CONVEYOR -> new ConveyorProcess(noise);
      case PRINTER_3D -> new PrinterProcess(noise);
      case ASSEMBLY_STATION -> new AssemblyStationProcess(noise);
    };
  }
}
