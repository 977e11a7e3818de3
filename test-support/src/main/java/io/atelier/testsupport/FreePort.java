package io.atelier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Picks TCP ports on 127.0.0.1 that are free at the moment of the call. */
public final class FreePort {

  private FreePort() {}

  /** One free loopback port. */
  public static int pick() {
    return pick(1).get(0);
  }

  /**
   * {@code count} distinct free loopback ports. All sockets stay open until every port is chosen,
   * so the kernel cannot hand out the same port twice.
   */
  public static List<Integer> pick(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      List<Integer> ports = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a listening socket we own cannot leave anything behind
        }
      }
    }
  }
}
