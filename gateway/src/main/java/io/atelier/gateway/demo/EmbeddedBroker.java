package io.atelier.gateway.demo;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The demo's MQTT broker when the user has none: HiveMQ Community Edition, embedded. A real,
 * maintained MQTT 5 broker (shared subscriptions, persistent sessions, QoS 1/2), so the demo
 * behaves as a shop-floor broker does; chosen over Moquette for its complete MQTT 5 support.
 */
public final class EmbeddedBroker {

  private final String host;
  private final int port;
  private final Path dir;
  private EmbeddedHiveMQ hivemq;

  /**
   * @param host the address to bind
   * @param port the TCP port
   * @param dir a directory of its own for configuration and persistence
   */
  public EmbeddedBroker(String host, int port, Path dir) {
    this.host = host;
    this.port = port;
    this.dir = dir;
  }

  public CompletableFuture<Void> start() {
    try {
      Path conf = Files.createDirectories(dir.resolve("conf"));
      Path data = Files.createDirectories(dir.resolve("data"));
      Path extensions = Files.createDirectories(dir.resolve("extensions"));
      Files.writeString(
          conf.resolve("config.xml"),
          """
          <?xml version="1.0"?>
          <hivemq>
            <listeners>
              <tcp-listener>
                <port>%d</port>
                <bind-address>%s</bind-address>
              </tcp-listener>
            </listeners>
            <anonymous-usage-statistics>
              <enabled>false</enabled>
            </anonymous-usage-statistics>
          </hivemq>
          """
              .formatted(port, host),
          StandardCharsets.UTF_8);
      hivemq =
          EmbeddedHiveMQ.builder()
              .withConfigurationFolder(conf)
              .withDataFolder(data)
              .withExtensionsFolder(extensions)
              .build();
      return hivemq.start();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  public CompletableFuture<Void> stop() {
    if (hivemq == null) {
      return CompletableFuture.completedFuture(null);
    }
    EmbeddedHiveMQ h = hivemq;
    hivemq = null;
    // close() runs a task on HiveMQ's single state-change thread and waits for it; the stop future
    // completes on that very thread, so closing in a plain whenComplete deadlocks it (the demo
    // then hung for its whole stop timeout). Close from another thread.
    return h.stop()
        .whenCompleteAsync(
            (v, e) -> {
              try {
                h.close();
              } catch (Exception ignored) {
                // Closing after stop only releases resources; nothing left to report.
              }
            });
  }

  /** The URL clients connect to. */
  public String url() {
    String h = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    return "tcp://" + h + ":" + port;
  }
}
