package io.atelier.testsupport;

/** A real InfluxDB 1.6 per test class (static field) or per test (instance field). */
public final class InfluxExtension extends ServerExtension<InfluxServer> {

  public InfluxExtension() {
    this(InfluxServer.builder());
  }

  public InfluxExtension(InfluxServer.Builder builder) {
    super(builder.build());
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return server().url();
  }

  public int port() {
    return server().port();
  }
}
