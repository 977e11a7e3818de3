package io.atelier.testsupport;

/** A real Mosquitto broker per test class (static field) or per test (instance field). */
public final class MosquittoExtension extends ServerExtension<MosquittoServer> {

  public MosquittoExtension() {
    this(MosquittoServer.builder());
  }

  /** For extra broker options, e.g. {@code builder().configLine("max_queued_messages 10000")}. */
  public MosquittoExtension(MosquittoServer.Builder builder) {
    super(builder.build());
  }

  /** {@code tcp://127.0.0.1:<port>}. */
  public String url() {
    return server().url();
  }

  public int port() {
    return server().port();
  }
}
