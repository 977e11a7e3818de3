package io.atelier.simulator.machine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The demonstrator machine types, with the code used in YAML and in metadata. */
public enum MachineType {
  CNC_MILL("cnc-mill"),
  ROBOT_CELL("robot-cell"),
  INJECTION_MOULDING("injection-moulding"),
  CONVEYOR("conveyor"),
  PRINTER_3D("3d-printer"),
  ASSEMBLY_STATION("assembly-station");

  private final String code;

  MachineType(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<MachineType> fromCode(String code) {
    String wanted = code.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.code.equals(wanted)).findFirst();
  }

  public static List<String> codes() {
    return Arrays.stream(values()).map(MachineType::code).toList();
  }
}
