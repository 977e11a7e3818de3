package io.atelier.testsupport;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link LocalServer} for a test class. Registered on a static field, one server serves the
 * whole class; on an instance field, each test gets its own. Before every test the server is
 * started again if an earlier test killed it and failed before bringing it back, so one failed
 * fault test does not fail the rest of the class for the wrong reason.
 *
 * <pre>{@code
 * @RegisterExtension static final MosquittoExtension broker = new MosquittoExtension();
 * }</pre>
 */
public abstract class ServerExtension<S extends LocalServer>
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final S server;
  private boolean perClass;

  protected ServerExtension(S server) {
    this.server = Objects.requireNonNull(server);
  }

  /** The server, for stop/kill/start in fault tests. */
  public S server() {
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    server.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      server.close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.close();
  }
}
