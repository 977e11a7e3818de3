package io.atelier.simulator.machine;

/** The value type of a simulated signal, as the protocol endpoints must publish it. */
public enum SignalType {
  DOUBLE,
  LONG,
  BOOLEAN,
  STRING
}
