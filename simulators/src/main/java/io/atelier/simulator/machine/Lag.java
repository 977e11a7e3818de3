package io.atelier.simulator.machine;

/**
 * A first-order lag: the value moves toward its target with time constant {@code tau}, the way a
 * barrel heats or a spindle spins up. Uses the exact solution of the differential equation, so the
 * result does not depend on the step size for a constant target.
 */
final class Lag {

  private final double tauSeconds;
  private double value;

  Lag(double initial, double tauSeconds) {
    this.value = initial;
    this.tauSeconds = tauSeconds;
  }

  double step(double target, double dtSeconds) {
    if (dtSeconds > 0) {
      value += (target - value) * (1 - Math.exp(-dtSeconds / tauSeconds));
    }
    return value;
  }

  double value() {
    return value;
  }
}
