package io.atelier.connector.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One observation of one signal of one machine. Immutable.
 *
 * <p>The value is a {@link Double}, {@link Long}, {@link Boolean} or {@link String}. A sample whose
 * quality is not GOOD may carry no value at all (a BAD OPC UA read, a Sparkplug death): then {@link
 * #hasValue()} is false and {@link #valueIfPresent()} is empty.
 *
 * @param machine the machine id, as configured (unique in the gateway)
 * @param signal the signal name, lower snake case, stable across restarts
 * @param value the value, see above
 * @param quality how far the value can be trusted
 * @param sourceTime the device's time when it has one, else the time of receipt
 * @param receiveTime when the gateway received it
 */
public record Sample(
    String machine,
    String signal,
    Object value,
    Quality quality,
    Instant sourceTime,
    Instant receiveTime) {

  public Sample {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(sourceTime, "sourceTime");
    Objects.requireNonNull(receiveTime, "receiveTime");
    if (value == null) {
      if (quality.isGood()) {
        throw new IllegalArgumentException(
            "a GOOD sample needs a value: " + machine + "/" + signal);
      }
    } else if (!(value instanceof Double
        || value instanceof Long
        || value instanceof Boolean
        || value instanceof String)) {
      throw new IllegalArgumentException(
          "unsupported value type "
              + value.getClass().getName()
              + " for "
              + machine
              + "/"
              + signal
              + " (expected Double, Long, Boolean or String)");
    }
  }

  /** A GOOD sample whose source time is its receive time. */
  public static Sample good(String machine, String signal, Object value, Instant time) {
    return new Sample(machine, signal, normalise(value), Quality.GOOD, time, time);
  }

  /** A GOOD sample with the device's own time. */
  public static Sample good(
      String machine, String signal, Object value, Instant sourceTime, Instant receiveTime) {
    return new Sample(machine, signal, normalise(value), Quality.GOOD, sourceTime, receiveTime);
  }

  /**
   * Widens the usual Java boxes to the four value types: Integer/Short/Byte to Long, Float to
   * Double. Anything else is returned unchanged (and rejected by the constructor if unsupported).
   */
  public static Object normalise(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    return value;
  }

  public boolean hasValue() {
    return value != null;
  }

  public Optional<Object> valueIfPresent() {
    return Optional.ofNullable(value);
  }
}
