package io.atelier.simulator.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.simulator.SimulatorMain;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateways configure nodes by id, so the simulator's node ids must survive a crash: the simulator
 * process is killed (SIGKILL) and started again on the same data directory, and a plain Milo client
 * finds exactly the same node ids, under the same server certificate.
 */
@Timeout(180)
class SimulatorProcessRestartIT {

  @TempDir Path dir;

  @Test
  void nodeIdsAndCertificateAreIdenticalAfterKillAndRestart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process first = launch(port);
    Map<String, Map<String, NodeId>> before;
    X509Certificate certBefore;
    try {
      certBefore = serverCertificate();
      before = browse(port, certBefore);
    } finally {
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    Process second = launch(port);
    try {
      X509Certificate certAfter = serverCertificate();
      assertThat(certAfter).isEqualTo(certBefore);
      Map<String, Map<String, NodeId>> after = browse(port, certAfter);
      assertThat(before.keySet())
          .containsExactlyInAnyOrder("cnc-01", "robot-01", "imm-01", "assembly-01");
      assertThat(before.values().stream().mapToInt(Map::size).sum()).isGreaterThan(40);
      assertThat(after).isEqualTo(before);
    } finally {
      second.destroyForcibly();
    }
  }

  private Process launch(int port) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SimulatorMain.class.getName(),
                "--opcua-port",
                Integer.toString(port),
                "--no-mqtt",
                "--control-port",
                "0",
                "--data-dir",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    InputStream in = p.getInputStream();
    BufferedReader out = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.contains("atelier-simulator ready")) {
                    return true;
                  }
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              throw new IllegalStateException("simulator exited before it was ready");
            })
        .get(90, TimeUnit.SECONDS);
    // Keep draining so the child never blocks on a full pipe.
    CompletableFuture.runAsync(() -> out.lines().forEach(l -> {}));
    return p;
  }

  private X509Certificate serverCertificate() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("pki/own/simulator.pfx"))) {
      ks.load(in, "atelier-simulator".toCharArray());
    }
    return (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
  }

  private static Map<String, Map<String, NodeId>> browse(int port, X509Certificate cert)
      throws Exception {
    OpcUaClient client =
        OpcUaTestClient.create(
            "opc.tcp://127.0.0.1:" + port + "/atelier",
            SecurityPolicy.None,
            new AnonymousProvider(),
            cert);
    client.connect();
    try {
      return OpcUaTestClient.browseMachines(client);
    } finally {
      client.disconnect();
    }
  }
}
