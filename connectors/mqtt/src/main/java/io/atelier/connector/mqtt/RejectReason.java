package io.atelier.connector.mqtt;

import java.util.Locale;

/**
 * Why a message (or one value in it) was not turned into a sample. The {@link #code()} is the
 * counter key and the {@code reason} in the dead-letter file, so keep codes stable.
 */
public enum RejectReason {
  PAYLOAD_TOO_LARGE,
  EMPTY_PAYLOAD,
  NOT_UTF8,
  MALFORMED_JSON,
  TOO_DEEP,
  WRONG_TYPE,
  MISSING_FIELD,
  BAD_TIMESTAMP,
  UNKNOWN_TOPIC,
  UNKNOWN_MACHINE,
  UNKNOWN_SIGNAL,
  INVALID_SIGNAL_NAME,
  SPARKPLUG_MALFORMED,
  /**
   * Normal for a moment whenever the gateway joins after an edge node's birth: the decoder asks for
   * a rebirth and data flows once it arrives. Logged at INFO; counted like any other.
   */
  SPARKPLUG_NOT_BORN(true),
  SPARKPLUG_UNKNOWN_METRIC,
  UNSUPPORTED_TYPE,
  INTERNAL_ERROR;

  private final String code = name().toLowerCase(Locale.ROOT).replace('_', '-');
  private final boolean expected;

  RejectReason() {
    this(false);
  }

  RejectReason(boolean expected) {
    this.expected = expected;
  }

  /** Part of normal operation now and then (logged at INFO rather than WARN). */
  public boolean expected() {
    return expected;
  }

  /** Lower kebab case, e.g. {@code malformed-json}. */
  public String code() {
    return code;
  }
}
