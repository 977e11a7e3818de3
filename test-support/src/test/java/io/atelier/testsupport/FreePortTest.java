package io.atelier.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FreePortTest {

  @Test
  void pickedPortsAreDistinctAndBindableOnLoopback() throws Exception {
    List<Integer> ports = FreePort.pick(3);

    assertThat(ports).doesNotHaveDuplicates().allSatisfy(port -> assertThat(port).isPositive());
    for (int port : ports) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
