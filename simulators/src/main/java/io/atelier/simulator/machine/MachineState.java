package io.atelier.simulator.machine;

/**
 * The production state of a simulated machine, in the ISO 22400 time model: PRODUCING is APT, SETUP
 * is ASUT, DOWN (faults, repairs and micro-stops) is ADET, IDLE (starved or blocked) is ADOT and
 * PLANNED_STOP lies outside the planned busy time.
 *
 * <p>Each state also says how the OPC UA companion specifications would show it, so that every
 * protocol endpoint and the gateway's state mappings agree on one translation.
 */
public enum MachineState {
  PRODUCING("Executing", "Processing", 6),
  SETUP("Executing", "Setup", 4),
  IDLE("NotExecuting", "Processing", 5),
  DOWN("OutOfService", "Maintenance", 11),
  PLANNED_STOP("NotAvailable", "None", 2);

  private final String machineryItemState;
  private final String machineryOperationMode;
  private final int packMlState;

  MachineState(String machineryItemState, String machineryOperationMode, int packMlState) {
    this.machineryItemState = machineryItemState;
    this.machineryOperationMode = machineryOperationMode;
    this.packMlState = packMlState;
  }

  /**
   * OPC 40001-1 MachineryItemState: NotAvailable, OutOfService, Executing or NotExecuting. Setup
   * counts as Executing (the machine is busy with an activity that is not production), which is why
   * the operation mode is needed to tell it apart.
   */
  public String machineryItemState() {
    return machineryItemState;
  }

  /** OPC 40001-1 MachineryOperationMode: None, Maintenance, Setup or Processing. */
  public String machineryOperationMode() {
    return machineryOperationMode;
  }

  /**
   * PackML (ISA-TR88.00.02) StateCurrent code: Execute 6, Idle 4 (ready, being set up), Suspended 5
   * (starved or blocked), Held 11 (internal fault), Stopped 2.
   */
  public int packMlState() {
    return packMlState;
  }
}
