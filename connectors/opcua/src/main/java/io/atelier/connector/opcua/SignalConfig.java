package io.atelier.connector.opcua;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured signal of one machine, with everything the connector needs to monitor (or poll)
 * it.
 *
 * @param machine the machine id
 * @param signal the signal name
 * @param node where the value lives on the server
 * @param samplingInterval how often the server samples the value
 * @param queueSize how many changes the server queues between publishes
 * @param discardOldest which end of a full queue the server drops
 * @param deadband an optional data-change filter
 * @param poll when present, the value is read at this interval instead of being monitored
 */
public record SignalConfig(
    String machine,
    String signal,
    NodeRef node,
    Duration samplingInterval,
    int queueSize,
    boolean discardOldest,
    Optional<Deadband> deadband,
    Optional<Duration> poll) {

  public SignalConfig {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(samplingInterval, "samplingInterval");
    Objects.requireNonNull(deadband, "deadband");
    Objects.requireNonNull(poll, "poll");
  }

  /** The key of {@link io.atelier.connector.api.Connector#signalStatus()}: machine/signal. */
  public String key() {
    return machine + "/" + signal;
  }

  /** A data-change deadband: absolute (engineering units) or percent of the EU range. */
  public record Deadband(Type type, double value) {

    /** The two deadband types of OPC UA Part 4 (numbered as the DeadbandType enumeration). */
    public enum Type {
      ABSOLUTE(1),
      PERCENT(2);

      private final int code;

      Type(int code) {
        this.code = code;
      }

      public int code() {
        return code;
      }
    }
  }
}
