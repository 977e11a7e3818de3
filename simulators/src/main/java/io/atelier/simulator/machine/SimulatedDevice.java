package io.atelier.simulator.machine;

/** Anything the simulation clock drives and the signal board shows. */
public interface SimulatedDevice {

  MachineInfo info();

  default String id() {
    return info().id();
  }

  /** Runs the device up to simulated time {@code t} (epoch ms) and updates its board signals. */
  void advanceTo(long t);
}
