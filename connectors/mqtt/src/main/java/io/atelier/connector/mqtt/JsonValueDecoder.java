package io.atelier.connector.mqtt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.atelier.connector.api.Sample;
import io.atelier.connector.mqtt.MachineMapping.Resolution;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One value per message: {@code {"ts": <epoch ms>, "value": ...}} ({@code timestamp} is accepted
 * for {@code ts}), or a bare JSON scalar, or wherever the signal's {@code pointer} and {@code
 * timestampPointer} say. The default layout is read with Jackson's streaming parser, without
 * building a tree.
 */
final class JsonValueDecoder implements PayloadDecoder {

  static final JsonPointer VALUE = JsonPointer.compile("/value");
  static final JsonPointer TS = JsonPointer.compile("/ts");
  static final JsonPointer TIMESTAMP = JsonPointer.compile("/timestamp");

  private final JsonSupport json;

  JsonValueDecoder(JsonSupport json) {
    this.json = json;
  }

  @Override
  public Decoded decode(Route route, byte[] payload, Instant receivedAt) {
    String found = route.signal().orElse("");
    Resolution signal = route.machine().resolve(found);
    if (!signal.ok()) {
      return Decoded.rejected(signal.reason(), "signal '" + found + "'");
    }
    Optional<Decoded> bad = JsonSupport.precheck(payload);
    if (bad.isPresent()) {
      return bad.get();
    }
    try {
      return route.pointer().isEmpty() && route.timestampPointer().isEmpty()
          ? streaming(route.machine().id(), signal.signal(), payload, receivedAt)
          : tree(route, signal.signal(), payload, receivedAt);
    } catch (IOException e) {
      return JsonSupport.parseFailure(e);
    }
  }

  private Decoded streaming(String machine, String signal, byte[] payload, Instant receivedAt)
      throws IOException {
    try (JsonParser p = json.parser(payload)) {
      JsonToken root = p.nextToken();
      if (root == null) {
        return Decoded.rejected(RejectReason.MALFORMED_JSON, "no JSON value");
      }
      if (root != JsonToken.START_OBJECT) {
        // A bare scalar payload ("21.5") is the value itself.
        Optional<Object> v = JsonSupport.scalar(p);
        if (root == JsonToken.START_ARRAY) {
          p.skipChildren();
        }
        JsonSupport.requireEnd(p);
        return v.map(x -> one(machine, signal, x, receivedAt, receivedAt))
            .orElseGet(
                () ->
                    Decoded.rejected(
                        RejectReason.WRONG_TYPE, "expected an object or a value, got " + root));
      }
      Optional<Object> value = Optional.empty();
      boolean hasValue = false;
      String wrongValue = null;
      Object tsRaw = null;
      String wrongTs = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("value")) {
          hasValue = true;
          value = JsonSupport.scalar(p);
          wrongValue = value.isEmpty() ? JsonSupport.describe(t) : null;
        } else if (name.equals("ts") || name.equals("timestamp")) {
          Optional<Object> ts = JsonSupport.scalar(p);
          tsRaw = ts.orElse(null);
          wrongTs = ts.isEmpty() ? JsonSupport.describe(t) : null;
        }
        p.skipChildren();
      }
      JsonSupport.requireEnd(p);
      if (!hasValue) {
        return Decoded.rejected(RejectReason.MISSING_FIELD, "no 'value' field");
      }
      if (value.isEmpty()) {
        return Decoded.rejected(RejectReason.WRONG_TYPE, "'value' is " + wrongValue);
      }
      if (wrongTs != null) {
        return Decoded.rejected(RejectReason.BAD_TIMESTAMP, "'ts' is " + wrongTs);
      }
      Optional<Instant> ts = tsRaw == null ? Optional.of(receivedAt) : JsonSupport.timestamp(tsRaw);
      if (ts.isEmpty()) {
        return Decoded.rejected(RejectReason.BAD_TIMESTAMP, "unusable timestamp " + show(tsRaw));
      }
      return one(machine, signal, value.get(), ts.get(), receivedAt);
    }
  }

  private Decoded tree(Route route, String signal, byte[] payload, Instant receivedAt)
      throws IOException {
    JsonNode root = json.tree(payload);
    JsonPointer pointer = route.pointer().orElse(VALUE);
    JsonNode node = root.isContainerNode() ? root.at(pointer) : root;
    if (node.isMissingNode()) {
      return Decoded.rejected(RejectReason.MISSING_FIELD, "nothing at " + pointer);
    }
    Optional<Object> value = JsonSupport.scalar(node);
    if (value.isEmpty()) {
      return Decoded.rejected(
          RejectReason.WRONG_TYPE, pointer + " is " + node.getNodeType().name().toLowerCase());
    }
    Optional<Instant> ts = timestamp(root, route.timestampPointer(), receivedAt);
    if (ts.isEmpty()) {
      return Decoded.rejected(RejectReason.BAD_TIMESTAMP, "unusable timestamp");
    }
    return one(route.machine().id(), signal, value.get(), ts.get(), receivedAt);
  }

  /**
   * The timestamp at the pointer (or /ts, then /timestamp); the receive time when absent; empty
   * when present but unusable.
   */
  static Optional<Instant> timestamp(
      JsonNode root, Optional<JsonPointer> pointer, Instant receivedAt) {
    if (!root.isContainerNode()) {
      return Optional.of(receivedAt);
    }
    JsonNode ts =
        pointer
            .map(root::at)
            .orElseGet(() -> root.at(TS).isMissingNode() ? root.at(TIMESTAMP) : root.at(TS));
    if (ts.isMissingNode()) {
      return Optional.of(receivedAt);
    }
    return JsonSupport.scalar(ts).flatMap(JsonSupport::timestamp);
  }

  private static Decoded one(
      String machine, String signal, Object value, Instant source, Instant received) {
    return Decoded.of(List.of(Sample.good(machine, signal, value, source, received)));
  }

  private static String show(Object o) {
    String s = String.valueOf(o);
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
