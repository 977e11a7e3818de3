package io.atelier.simulator;

/**
 * Runs {@code simulate} on its own, so tests can start the simulator as a separate process ({@code
 * java -cp ... io.atelier.simulator.SimulatorMain --control-port 0 ...}) and kill it.
 */
public final class SimulatorMain {

  private SimulatorMain() {}

  public static void main(String[] args) {
    System.exit(SimulateCommand.run(args));
  }
}
