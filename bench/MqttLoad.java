import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * MQTT JSON load source for bench/harness.py, for rates the simulator's Paho QoS 1 publisher cannot
 * offer on this machine (it drops from its queue above about 20,000 msg/s). A raw MQTT 3.1.1 client
 * on one socket publishing QoS 0, on the Atelier topic layout, at every period boundary (epoch
 * multiples of the period, the same as the simulator's load mode):
 *
 * <pre>
 * java bench/MqttLoad.java PORT MACHINES SIGNALS PERIOD_MS SECONDS single|batched
 * </pre>
 *
 * single: {@code atelier/platform/hall-a/load/<machine>/<signal>} with {@code {"ts":..,"value":..}};
 * batched: {@code atelier/platform/hall-a/load/<machine>} with {@code {"ts":..,"values":{..}}}. Runs
 * for SECONDS (bounded) and prints {@code LOAD periods=.. late=.. samples=..}; a late period is one
 * whose messages were not all written before the next boundary (the source, not the gateway, is
 * then the limit).
 */
public final class MqttLoad {

  private static volatile long periods;
  private static volatile long late;
  private static volatile long samples;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int machines = Integer.parseInt(args[1]);
    int signals = Integer.parseInt(args[2]);
    long period = Long.parseLong(args[3]);
    long seconds = Long.parseLong(args[4]);
    boolean batched = args[5].equals("batched");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setTcpNoDelay(true);
      socket.setSendBufferSize(1 << 20);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      connect(out, "atelier-bench-load-" + ProcessHandle.current().pid());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      if (in.readUnsignedByte() != 0x20 || in.readUnsignedByte() != 2) {
        throw new IOException("no CONNACK");
      }
      in.readUnsignedByte();
      if (in.readUnsignedByte() != 0) {
        throw new IOException("connection refused");
      }
      byte[][] topics = new byte[batched ? machines : machines * signals][];
      for (int m = 0; m < machines; m++) {
        String base = String.format("atelier/platform/hall-a/load/load-%04d", m + 1);
        if (batched) {
          topics[m] = base.getBytes(StandardCharsets.UTF_8);
        } else {
          for (int s = 0; s < signals; s++) {
            topics[m * signals + s] =
                String.format("%s/value_%03d", base, s).getBytes(StandardCharsets.UTF_8);
          }
        }
      }
      long end = System.currentTimeMillis() + seconds * 1000;
      long boundary = (System.currentTimeMillis() / period + 1) * period;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      System.out.printf(
                          "LOAD periods=%d late=%d samples=%d%n", periods, late, samples)));
      StringBuilder json = new StringBuilder(64 + 24 * signals);
      while (boundary < end) {
        long wait = boundary - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        for (int m = 0; m < machines; m++) {
          if (batched) {
            json.setLength(0);
            json.append("{\"ts\":").append(boundary).append(",\"values\":{");
            for (int s = 0; s < signals; s++) {
              json.append(s > 0 ? ",\"" : "\"").append(name(s)).append("\":");
              json.append(value(periods, m, s));
            }
            json.append("}}");
            publish(out, topics[m], json);
          } else {
            for (int s = 0; s < signals; s++) {
              json.setLength(0);
              json.append("{\"ts\":").append(boundary).append(",\"value\":");
              json.append(value(periods, m, s)).append('}');
              publish(out, topics[m * signals + s], json);
            }
          }
          samples += signals;
        }
        out.flush();
        periods++;
        boundary += period;
        if (System.currentTimeMillis() >= boundary) {
          late++;
        }
      }
      out.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT
      out.flush();
    }
  }

  private static String name(int s) {
    return s < 10 ? "value_00" + s : s < 100 ? "value_0" + s : "value_" + s;
  }

  private static double value(long period, int m, int s) {
    return (period * 31 + m * 7 + s) % 1000 + 0.5;
  }

  private static void connect(OutputStream out, String clientId) throws IOException {
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    str(v, "MQTT".getBytes(StandardCharsets.US_ASCII));
    v.write(4); // 3.1.1
    v.write(0x02); // clean session
    v.write(0);
    v.write(0); // keep-alive off
    str(v, clientId.getBytes(StandardCharsets.US_ASCII));
    out.write(0x10);
    length(out, v.size());
    v.writeTo(out);
    out.flush();
  }

  private static void publish(OutputStream out, byte[] topic, CharSequence payload)
      throws IOException {
    byte[] p = payload.toString().getBytes(StandardCharsets.US_ASCII);
    out.write(0x30); // PUBLISH, QoS 0
    length(out, 2 + topic.length + p.length);
    out.write(topic.length >> 8);
    out.write(topic.length);
    out.write(topic);
    out.write(p);
  }

  private static void str(ByteArrayOutputStream out, byte[] s) {
    out.write(s.length >> 8);
    out.write(s.length);
    out.write(s, 0, s.length);
  }

  private static void length(OutputStream out, int n) throws IOException {
    do {
      int b = n % 128;
      n /= 128;
      out.write(n > 0 ? b | 0x80 : b);
    } while (n > 0);
  }
}
