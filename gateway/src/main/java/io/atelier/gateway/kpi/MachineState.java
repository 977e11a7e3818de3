package io.atelier.gateway.kpi;

import java.util.Locale;
import java.util.Optional;

/**
 * The state of a machine in the ISO 22400 time model, after mapping its native state. Each state
 * books its time into one ISO time element; see {@link #isoBucket()}.
 */
public enum MachineState {
  /** Making parts: actual production time (APT). */
  PRODUCING("APT"),
  /** Changing over or setting up: actual unit setup time (ASUT). */
  SETUP("ASUT"),
  /** Stopped by a fault or delay: actual unit delay time (ADET). */
  DOWN("ADET"),
  /** Ready but not producing (starved, blocked, waiting): actual unit down time (ADOT). */
  IDLE("ADOT"),
  /** Stopped on purpose (break, no shift, planned maintenance): outside planned busy time. */
  PLANNED_STOP("PDOT"),
  /** No data: the machine or its connection is gone. Reported on its own, counted as configured. */
  OFFLINE("OFFLINE");

  private final String isoBucket;

  MachineState(String isoBucket) {
    this.isoBucket = isoBucket;
  }

  /**
   * The ISO 22400 time element this state books into: APT, ASUT, ADET, ADOT, PDOT (planned down
   * time, outside PBT) or OFFLINE (booked as configured, ADET by default).
   */
  public String isoBucket() {
    return isoBucket;
  }

  /**
   * Parses a state name as written in YAML: {@code producing}, {@code PLANNED_STOP}, {@code
   * planned-stop}.
   */
  public static Optional<MachineState> parse(String text) {
    String wanted = text.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (MachineState s : values()) {
      if (s.name().equals(wanted)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The names a user may write, for error messages. */
  public static String choices() {
    return "producing, setup, down, idle, planned-stop, offline";
  }
}
