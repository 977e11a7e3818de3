package io.atelier.connector.mqtt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.atelier.connector.api.Sample;
import io.atelier.connector.mqtt.MachineMapping.Resolution;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Many signals of one machine per message: {@code {"ts": <epoch ms>, "values": {"signal": value,
 * ...}}}. Signals configured with a {@code pointer} (and no topic of their own) are also read from
 * the same document, e.g. {@code pointer: /data/temp}. A bad value costs only that value: the
 * others still become samples, and the bad one is counted.
 */
final class JsonBatchDecoder implements PayloadDecoder {

  private final JsonSupport json;
  private final Map<String, List<SignalMapping>> pointerSignals = new ConcurrentHashMap<>();

  JsonBatchDecoder(JsonSupport json) {
    this.json = json;
  }

  @Override
  public Decoded decode(Route route, byte[] payload, Instant receivedAt) {
    Optional<Decoded> bad = JsonSupport.precheck(payload);
    if (bad.isPresent()) {
      return bad.get();
    }
    List<SignalMapping> pointers =
        pointerSignals.computeIfAbsent(route.machine().id(), id -> pointerSignals(route.machine()));
    try {
      return pointers.isEmpty() && route.timestampPointer().isEmpty()
          ? streaming(route.machine(), payload, receivedAt)
          : tree(route, pointers, payload, receivedAt);
    } catch (IOException e) {
      return JsonSupport.parseFailure(e);
    }
  }

  private static List<SignalMapping> pointerSignals(MachineMapping m) {
    List<SignalMapping> out = new ArrayList<>();
    for (SignalMapping s : m.signals().values()) {
      if (s.pointer().isPresent() && s.topic().isEmpty()) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  private record Found(String signal, Object value) {}

  private Decoded streaming(MachineMapping machine, byte[] payload, Instant receivedAt)
      throws IOException {
    Decoded.Builder out = new Decoded.Builder();
    List<Found> found = new ArrayList<>();
    boolean hasValues = false;
    Object tsRaw = null;
    boolean tsWrong = false;
    try (JsonParser p = json.parser(payload)) {
      JsonToken root = p.nextToken();
      if (root != JsonToken.START_OBJECT) {
        return Decoded.rejected(
            RejectReason.WRONG_TYPE, "expected a JSON object, got " + JsonSupport.describe(root));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("values") && t == JsonToken.START_OBJECT) {
          hasValues = true;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken vt = p.nextToken();
            Optional<Object> v = JsonSupport.scalar(p);
            p.skipChildren();
            Resolution r = machine.resolve(key);
            if (!r.ok()) {
              out.issue(r.reason(), "signal '" + shorten(key) + "'");
            } else if (v.isEmpty()) {
              out.issue(RejectReason.WRONG_TYPE, key + " is " + JsonSupport.describe(vt));
            } else {
              found.add(new Found(r.signal(), v.get()));
            }
          }
        } else if (name.equals("values")) {
          p.skipChildren();
          return Decoded.rejected(
              RejectReason.WRONG_TYPE, "'values' is " + JsonSupport.describe(t));
        } else if (name.equals("ts") || name.equals("timestamp")) {
          Optional<Object> ts = JsonSupport.scalar(p);
          tsRaw = ts.orElse(null);
          tsWrong = ts.isEmpty();
          p.skipChildren();
        } else {
          p.skipChildren();
        }
      }
      JsonSupport.requireEnd(p);
    }
    if (!hasValues) {
      return Decoded.rejected(RejectReason.MISSING_FIELD, "no 'values' object");
    }
    Optional<Instant> ts =
        tsWrong
            ? Optional.empty()
            : tsRaw == null ? Optional.of(receivedAt) : JsonSupport.timestamp(tsRaw);
    if (ts.isEmpty()) {
      return Decoded.rejected(RejectReason.BAD_TIMESTAMP, "unusable timestamp");
    }
    for (Found f : found) {
      out.sample(Sample.good(machine.id(), f.signal(), f.value(), ts.get(), receivedAt));
    }
    return out.build();
  }

  private Decoded tree(
      Route route, List<SignalMapping> pointers, byte[] payload, Instant receivedAt)
      throws IOException {
    MachineMapping machine = route.machine();
    JsonNode root = json.tree(payload);
    if (!root.isObject()) {
      return Decoded.rejected(
          RejectReason.WRONG_TYPE, "expected a JSON object, got " + root.getNodeType());
    }
    Optional<Instant> ts = JsonValueDecoder.timestamp(root, route.timestampPointer(), receivedAt);
    if (ts.isEmpty()) {
      return Decoded.rejected(RejectReason.BAD_TIMESTAMP, "unusable timestamp");
    }
    Decoded.Builder out = new Decoded.Builder();
    JsonNode values = root.get("values");
    if (values != null && !values.isObject()) {
      out.issue(RejectReason.WRONG_TYPE, "'values' is " + values.getNodeType());
    } else if (values != null) {
      Iterator<Map.Entry<String, JsonNode>> it = values.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        Resolution r = machine.resolve(e.getKey());
        Optional<Object> v = JsonSupport.scalar(e.getValue());
        if (!r.ok()) {
          out.issue(r.reason(), "signal '" + shorten(e.getKey()) + "'");
        } else if (v.isEmpty()) {
          out.issue(RejectReason.WRONG_TYPE, e.getKey() + " is " + e.getValue().getNodeType());
        } else {
          out.sample(Sample.good(machine.id(), r.signal(), v.get(), ts.get(), receivedAt));
        }
      }
    }
    for (SignalMapping s : pointers) {
      JsonNode n = root.at(s.pointer().get());
      if (n.isMissingNode()) {
        // A batch need not carry every signal every time.
        continue;
      }
      Optional<Object> v = JsonSupport.scalar(n);
      Optional<Instant> sts =
          s.timestampPointer().isPresent()
              ? JsonValueDecoder.timestamp(root, s.timestampPointer(), receivedAt)
              : ts;
      if (v.isEmpty()) {
        out.issue(
            RejectReason.WRONG_TYPE, s.name() + " at " + s.pointer().get() + " is not a value");
      } else if (sts.isEmpty()) {
        out.issue(RejectReason.BAD_TIMESTAMP, s.name() + ": unusable timestamp");
      } else {
        out.sample(Sample.good(machine.id(), s.name(), v.get(), sts.get(), receivedAt));
      }
    }
    if (values == null && !out.hasSamples() && pointers.isEmpty()) {
      return Decoded.rejected(RejectReason.MISSING_FIELD, "no 'values' object");
    }
    if (!out.hasSamples() && out.build().issues().isEmpty()) {
      return Decoded.rejected(RejectReason.MISSING_FIELD, "no configured value found");
    }
    return out.build();
  }

  private static String shorten(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
