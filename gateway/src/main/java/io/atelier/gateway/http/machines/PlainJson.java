package io.atelier.gateway.http.machines;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts Vert.x JSON into the plain maps and lists a parsed YAML file gives, which is what {@link
 * io.atelier.connector.api.config.ConfigNode} and the connector factories expect.
 */
public final class PlainJson {

  private PlainJson() {}

  public static Map<String, Object> map(JsonObject o) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (o != null) {
      for (Map.Entry<String, Object> e : o) {
        out.put(e.getKey(), plain(e.getValue()));
      }
    }
    return out;
  }

  static Object plain(Object v) {
    if (v instanceof JsonObject o) {
      return map(o);
    }
    if (v instanceof Map<?, ?> m) {
      return map(new JsonObject(castMap(m)));
    }
    if (v instanceof JsonArray a) {
      List<Object> out = new ArrayList<>();
      for (Object item : a) {
        out.add(plain(item));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      return plain(new JsonArray(new ArrayList<>(l)));
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
