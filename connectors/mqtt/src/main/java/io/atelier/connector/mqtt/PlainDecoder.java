package io.atelier.connector.mqtt;

import io.atelier.connector.api.Sample;
import io.atelier.connector.mqtt.MachineMapping.Resolution;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A payload that is the value itself, as text: {@code 21.5}, {@code 42}, {@code true}, or any other
 * text (a string value). There is no timestamp in it, so samples carry the time of receipt.
 */
final class PlainDecoder implements PayloadDecoder {

  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d{1,4})?");

  @Override
  public Decoded decode(Route route, byte[] payload, Instant receivedAt) {
    Resolution signal = route.machine().resolve(route.signal().orElse(""));
    if (!signal.ok()) {
      return Decoded.rejected(signal.reason(), "signal '" + route.signal().orElse("") + "'");
    }
    if (payload.length == 0) {
      return Decoded.rejected(RejectReason.EMPTY_PAYLOAD, "empty payload");
    }
    if (!Utf8.isValid(payload)) {
      return Decoded.rejected(RejectReason.NOT_UTF8, "payload is not UTF-8");
    }
    String text = new String(payload, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return Decoded.rejected(RejectReason.EMPTY_PAYLOAD, "blank payload");
    }
    Object value = parse(text);
    return Decoded.of(
        java.util.List.of(
            Sample.good(route.machine().id(), signal.signal(), value, receivedAt, receivedAt)));
  }

  static Object parse(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("true")) {
      return Boolean.TRUE;
    }
    if (lower.equals("false")) {
      return Boolean.FALSE;
    }
    if (INTEGER.matcher(text).matches()) {
      return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
    }
    if (DECIMAL.matcher(text).matches()) {
      double d = Double.parseDouble(text);
      if (Double.isFinite(d)) {
        return d;
      }
    }
    return text;
  }
}
