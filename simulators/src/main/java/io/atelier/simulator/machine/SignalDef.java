package io.atelier.simulator.machine;

import java.util.Objects;

/**
 * One signal a simulated machine exposes.
 *
 * @param name lower snake case name, the MQTT topic level and the gateway's signal name
 * @param type the value type
 * @param unit engineering unit, empty if none
 * @param browsePath where the OPC UA server puts it below {@code Objects/Machines/<id>}, with
 *     {@code /} between levels, following the companion specifications (for example {@code
 *     Monitoring/Spindle/Speed} or {@code MachineryItemState/CurrentState})
 */
public record SignalDef(String name, SignalType type, String unit, String browsePath) {

  public SignalDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(browsePath, "browsePath");
  }
}
