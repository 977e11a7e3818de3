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
  SPARKPLUG_NOT_BORN,
  SPARKPLUG_UNKNOWN_METRIC,
  UNSUPPORTED_TYPE,
  INTERNAL_ERROR;

  private final String code = name().toLowerCase(Locale.ROOT).replace('_', '-');

  /** Lower kebab case, e.g. {@code malformed-json}. */
  public String code() {
    return code;
  }
}
