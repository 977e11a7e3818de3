package io.atelier.gateway.influx;

import io.atelier.gateway.influx.InfluxSettings.Api;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code api: auto}: asks the server which write API it speaks. {@code /ping} answers with an
 * {@code X-Influxdb-Version} header on 1.x ({@code 1.6.7}), 2.x ({@code v2.7.10}), 3.x and the
 * compatible servers (QuestDB says {@code v2.7.4}); 1.x gets v1, everything newer v2. A server
 * without the header but with a healthy {@code /health} is taken for v2.
 */
final class ApiProbe {

  private ApiProbe() {}

  /** The API, or a failed future whose message says why it cannot be told (yet). */
  static CompletableFuture<Api> detect(HttpClient http, InfluxSettings settings) {
    return http.sendAsync(
            WriteEndpoint.probe(settings, "/ping"), HttpResponse.BodyHandlers.discarding())
        .handle(
            (ping, e) -> {
              if (e != null) {
                throw new CompletionException(
                    new IOException(
                        "InfluxDB unreachable at "
                            + settings.url()
                            + ": "
                            + InfluxReplies.describe(e)));
              }
              return ping.headers().firstValue("X-Influxdb-Version");
            })
        .thenCompose(
            version ->
                version.filter(v -> !v.isBlank()).isPresent()
                    ? CompletableFuture.completedFuture(fromVersion(version.get()))
                    : health(http, settings));
  }

  static Api fromVersion(String version) {
    String v = version.startsWith("v") ? version.substring(1) : version;
    // 1.8 also has /api/v2/write, but v1 is its own API and works on every 1.x.
    return v.startsWith("1.") ? Api.V1 : Api.V2;
  }

  private static CompletableFuture<Api> health(HttpClient http, InfluxSettings settings) {
    return http.sendAsync(
            WriteEndpoint.probe(settings, "/health"), HttpResponse.BodyHandlers.discarding())
        .handle(
            (h, e) -> {
              if (e == null && h.statusCode() == 200) {
                return Api.V2;
              }
              throw new CompletionException(
                  new IOException(
                      "cannot tell which API "
                          + settings.url()
                          + " speaks: /ping has no X-Influxdb-Version and /health answered "
                          + (e != null
                              ? InfluxReplies.describe(e)
                              : String.valueOf(h.statusCode()))));
            });
  }
}
