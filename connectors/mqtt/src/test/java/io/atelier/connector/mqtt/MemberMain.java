package io.atelier.connector.mqtt;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import io.atelier.connector.api.config.ConfigProblems;
import io.vertx.core.Vertx;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A gateway member in a JVM of its own, so that a test can really kill it (SIGKILL: the broker sees
 * the TCP connection drop without a DISCONNECT). Runs one MQTT connector from a YAML file; its sink
 * appends each sample's value to a file and flushes before completing, so every acknowledged
 * message is on record. Writes the ready file once CONNECTED.
 *
 * <p>Arguments: config.yaml values.txt dataDir readyFile
 */
public final class MemberMain {

  private MemberMain() {}

  public static void main(String[] args) throws Exception {
    String yaml = Files.readString(Path.of(args[0]));
    Path values = Path.of(args[1]);
    Path dataDir = Path.of(args[2]);
    Path ready = Path.of(args[3]);
    Files.deleteIfExists(ready);
    OutputStream out = new FileOutputStream(values.toFile(), true);
    SampleSink sink =
        (batch, completion) -> {
          try {
            synchronized (out) {
              StringBuilder b = new StringBuilder();
              for (Sample s : batch) {
                b.append(s.signal()).append(' ').append(s.value()).append('\n');
              }
              out.write(b.toString().getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
            completion.succeeded();
          } catch (IOException e) {
            completion.failed(e);
          }
        };
    Vertx vertx = Vertx.vertx();
    ConnectionSpec spec = GatewayYaml.connection(yaml);
    ConfigProblems problems = new ConfigProblems();
    MqttConnectorFactory factory = new MqttConnectorFactory();
    factory.validate(spec, problems);
    problems.throwIfAny();
    MqttConnector connector =
        (MqttConnector) factory.create(new ConnectorContext(vertx, spec, sink, dataDir));
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    connector
                        .stop()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);
                    vertx
                        .close()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  done.countDown();
                }));
    connector.start();
    vertx.setPeriodic(
        20,
        id -> {
          if (connector.status().state() == ConnectorStatus.State.CONNECTED) {
            vertx.cancelTimer(id);
            vertx.executeBlocking(
                () -> {
                  Files.writeString(ready, "ready\n");
                  return null;
                });
          }
        });
    done.await();
  }
}
