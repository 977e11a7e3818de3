package io.atelier.gateway.influx;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** What InfluxDB (or the network) said, in words fit for a log line and the dead-letter file. */
final class InfluxReplies {

  private InfluxReplies() {}

  /** InfluxDB's reason: JSON {@code error} (v1) or {@code message} (v2), else the raw body. */
  static String errorText(HttpResponse<String> r) {
    String body = r.body() == null ? "" : r.body().trim();
    if (body.startsWith("{")) {
      try {
        JsonObject json = new JsonObject(body);
        for (String key : new String[] {"error", "message"}) {
          if (json.getValue(key) != null) {
            return json.getValue(key).toString();
          }
        }
      } catch (RuntimeException e) {
        // Not JSON after all: fall through to the header or the raw text.
      }
    }
    Optional<String> header = r.headers().firstValue("X-Influxdb-Error");
    if (header.isPresent()) {
      return header.get();
    }
    return body.length() > 500 ? body.substring(0, 500) + "..." : body;
  }

  /** The root cause of a failed request, e.g. {@code ConnectException: Connection refused}. */
  static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof CompletionException
            || (t.getClass() == IOException.class && t.getMessage() == null))) {
      t = t.getCause();
    }
    if (t.getClass() == IOException.class && t.getMessage() != null) {
      return t.getMessage(); // our own wrapping, already in words
    }
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
