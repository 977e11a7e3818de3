package io.atelier.gateway.influx;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The storage path alone in a JVM of its own, so a test can SIGKILL it like a crashed gateway.
 * Arguments: spool directory, InfluxDB URL, database. Commands on stdin, one per line: {@code
 * append <first> <count>} (answers {@code SPOOLED <first+count>} once durable), {@code stats}
 * (answers {@code STATS written=<n> pending=<n>}); end of input stops it cleanly ({@code STOPPED}).
 */
public final class SpoolWriterMain {

  private SpoolWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    InfluxSettings influx = StorageFixture.v1(args[1], args[2]).withApi(InfluxSettings.Api.V1);
    InfluxStorage storage =
        InfluxStorage.open(StorageFixture.storage(dir, Optional.of(influx)), StorageFixture.LOOKUP);
    storage.start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split(" ");
      if (cmd[0].equals("append")) {
        long first = Long.parseLong(cmd[1]);
        int count = Integer.parseInt(cmd[2]);
        for (long i = first; i < first + count; i += 1_000) {
          int n = (int) Math.min(1_000, first + count - i);
          storage
              .accept(StorageFixture.samples(i, n))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
        }
        System.out.println("SPOOLED " + (first + count));
      } else if (cmd[0].equals("stats")) {
        StorageMetrics.Snapshot s = storage.metrics().snapshot();
        System.out.println(
            "STATS written="
                + s.written()
                + " pending="
                + s.pending()
                + " requests="
                + s.requests()
                + " failed="
                + s.failedRequests()
                + " problem="
                + storage.metrics().writerProblem().replace(' ', '_'));
      }
      System.out.flush();
    }
    storage.stop().get(30, TimeUnit.SECONDS);
    System.out.println("STOPPED");
    System.out.flush();
  }
}
