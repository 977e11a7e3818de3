package io.atelier.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A real Mosquitto 2 broker (Debian package {@code mosquitto}) on a free 127.0.0.1 port. Anonymous
 * clients are allowed; persistence is on and autosaved every second, so persistent sessions and
 * their queued QoS 1 messages survive {@link #stop()} and, up to the last second, {@link #kill()}.
 *
 * <pre>{@code
 * MosquittoServer broker = MosquittoServer.builder().configLine("max_queued_messages 10000").build();
 * broker.start();
 * client.connect(broker.url());   // tcp://127.0.0.1:<port>
 * }</pre>
 */
public final class MosquittoServer extends ProcessServer {

  public static final String BINARY = "mosquitto";
  public static final String DEBIAN_PACKAGE = "mosquitto";

  private final List<String> extraConfigLines;
  private final Duration startTimeout;
  private int port;

  private MosquittoServer(Builder builder) {
    super("mosquitto");
    this.extraConfigLines = List.copyOf(builder.extraConfigLines);
    this.startTimeout = builder.startTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code tcp://127.0.0.1:<port>}; the same across restarts. */
  public synchronized String url() {
    return "tcp://127.0.0.1:" + port();
  }

  public synchronized int port() {
    requireStartedOnce();
    return port;
  }

  @Override
  void choosePorts() {
    port = FreePort.pick();
  }

  @Override
  void writeConfig(Path directory) throws IOException {
    Path data = Files.createDirectories(directory.resolve("data"));
    List<String> lines = new ArrayList<>();
    lines.add("# written by atelier test-support");
    lines.add("listener " + port + " 127.0.0.1");
    lines.add("allow_anonymous true");
    // As root, Mosquitto would switch to user 'mosquitto', which cannot write our temp directory.
    lines.add("user " + System.getProperty("user.name"));
    lines.add("persistence true");
    lines.add("persistence_location " + data + "/");
    lines.add("autosave_interval 1");
    lines.add("log_dest stderr");
    lines.add("log_type error");
    lines.add("log_type warning");
    lines.add("log_type notice");
    lines.add("log_type information");
    lines.add("connection_messages true");
    lines.add("log_timestamp_format %Y-%m-%dT%H:%M:%S");
    lines.addAll(extraConfigLines);
    Files.write(directory.resolve("mosquitto.conf"), lines);
  }

  @Override
  ManagedProcess createProcess(Path directory) {
    Path binary = Binaries.require(BINARY, DEBIAN_PACKAGE);
    return ManagedProcess.builder("mosquitto", binary)
        .args("-c", directory.resolve("mosquitto.conf").toString())
        .workingDirectory(directory)
        .readiness(this::acceptsConnections)
        .startTimeout(startTimeout)
        .build();
  }

  private boolean acceptsConnections() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    }
  }

  /** Options for the broker. */
  public static final class Builder {
    private final List<String> extraConfigLines = new ArrayList<>();
    private Duration startTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Appends a line to mosquitto.conf, e.g. {@code max_queued_messages 10000}. Later lines win
     * over the defaults for single-valued options.
     */
    public Builder configLine(String line) {
      if (line.contains("\n")) {
        throw new IllegalArgumentException("one config line at a time: " + line);
      }
      extraConfigLines.add(line);
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    public MosquittoServer build() {
      return new MosquittoServer(this);
    }
  }
}
