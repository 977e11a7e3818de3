package io.atelier.connector.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * JSON plumbing shared by the JSON decoders: a parser factory bounded in depth, scalar conversion
 * to sample values, timestamps, and mapping Jackson's errors to rejection reasons.
 */
final class JsonSupport {

  /** InfluxDB cannot store points outside 1677..2262; we also refuse anything before 1970. */
  static final long MAX_EPOCH_MILLIS = 9_223_372_036_854L;

  private final JsonFactory factory;
  private final ObjectMapper mapper;

  JsonSupport(int maxDepth) {
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
            .build();
    this.mapper = new ObjectMapper(factory);
  }

  JsonParser parser(byte[] payload) throws IOException {
    return factory.createParser(payload);
  }

  JsonNode tree(byte[] payload) throws IOException {
    try (JsonParser p = factory.createParser(payload)) {
      JsonNode root = mapper.readTree(p);
      if (root == null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "no JSON value");
      }
      requireEnd(p);
      return root;
    }
  }

  /** Fails when something follows the root value ({@code {"a":1} {"b":2}}). */
  static void requireEnd(JsonParser p) throws IOException {
    if (p.nextToken() != null) {
      throw new com.fasterxml.jackson.core.JsonParseException(p, "content after the JSON value");
    }
  }

  /** Checks what every JSON payload must pass before parsing; empty when it may be parsed. */
  static Optional<Decoded> precheck(byte[] payload) {
    if (payload.length == 0) {
      return Optional.of(Decoded.rejected(RejectReason.EMPTY_PAYLOAD, "empty payload"));
    }
    if (!Utf8.isValid(payload)) {
      return Optional.of(Decoded.rejected(RejectReason.NOT_UTF8, "payload is not UTF-8"));
    }
    if (Utf8.containsNul(payload)) {
      return Optional.of(Decoded.rejected(RejectReason.MALFORMED_JSON, "NUL byte in JSON"));
    }
    return Optional.empty();
  }

  /** Maps a parse failure to its reason. */
  static Decoded parseFailure(IOException e) {
    if (e instanceof StreamConstraintsException
        && String.valueOf(e.getMessage()).contains("depth")) {
      return Decoded.rejected(RejectReason.TOO_DEEP, firstLine(e));
    }
    return Decoded.rejected(RejectReason.MALFORMED_JSON, firstLine(e));
  }

  static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 200 ? m.substring(0, 200) : m;
  }

  /**
   * The current scalar token as a sample value: Long, Double, Boolean or String; empty for null,
   * non-finite numbers, objects and arrays (the caller reports wrong-type and skips children).
   */
  static Optional<Object> scalar(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      return Optional.empty();
    }
    return switch (t) {
      case VALUE_NUMBER_INT ->
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? finite(p.getDoubleValue())
              : Optional.of(p.getLongValue());
      case VALUE_NUMBER_FLOAT -> finite(p.getDoubleValue());
      case VALUE_TRUE -> Optional.of(Boolean.TRUE);
      case VALUE_FALSE -> Optional.of(Boolean.FALSE);
      case VALUE_STRING -> Optional.of(p.getText());
      default -> Optional.empty();
    };
  }

  /** The same for a tree node. */
  static Optional<Object> scalar(JsonNode n) {
    if (n == null) {
      return Optional.empty();
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? Optional.of(n.longValue()) : finite(n.doubleValue());
    }
    if (n.isNumber()) {
      return finite(n.doubleValue());
    }
    if (n.isBoolean()) {
      return Optional.of(n.booleanValue());
    }
    if (n.isTextual()) {
      return Optional.of(n.textValue());
    }
    return Optional.empty();
  }

  private static Optional<Object> finite(double d) {
    return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
  }

  /** Describes a token that is no usable value, for the issue detail. */
  static String describe(JsonToken t) {
    return t == null ? "nothing" : t.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  /**
   * A timestamp value: epoch milliseconds (integer or fractional), an epoch-millisecond string, or
   * an ISO-8601 instant. Empty when it is none of those or out of range.
   */
  static Optional<Instant> timestamp(Object value) {
    if (value instanceof Long ms) {
      return millis(ms);
    }
    if (value instanceof Double d) {
      if (d < 0 || d > MAX_EPOCH_MILLIS) {
        return Optional.empty();
      }
      long whole = (long) Math.floor(d);
      long nanos = Math.round((d - whole) * 1_000_000);
      return Optional.of(Instant.ofEpochMilli(whole).plusNanos(nanos));
    }
    if (value instanceof String s) {
      String t = s.trim();
      if (!t.isEmpty() && t.chars().allMatch(Character::isDigit) && t.length() <= 16) {
        return millis(Long.parseLong(t));
      }
      try {
        Instant i = java.time.OffsetDateTime.parse(t).toInstant();
        return millis(i.toEpochMilli()).map(x -> i);
      } catch (DateTimeParseException | ArithmeticException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Optional<Instant> millis(long ms) {
    return ms < 0 || ms > MAX_EPOCH_MILLIS
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(ms));
  }
}
