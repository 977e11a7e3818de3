package io.atelier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lifecycle shared by the servers: a temporary directory, ports chosen at the first start and
 * kept for good, a config file written before every start, and one {@link ManagedProcess}.
 */
abstract class ProcessServer implements LocalServer {

  /** Set to true to keep server directories (config, data, logs) after the tests. */
  static final String KEEP_DIRECTORIES_PROPERTY = "atelier.testsupport.keepDirectories";

  private static final int PORT_ATTEMPTS = 3;

  private final String name;
  private Path directory;
  private ManagedProcess process;
  private boolean portsFixed;
  private boolean closed;

  ProcessServer(String name) {
    this.name = name;
  }

  /** Chooses new free ports; called until the first start succeeds. */
  abstract void choosePorts();

  /** Writes the config for the current ports into {@code directory}. */
  abstract void writeConfig(Path directory) throws IOException;

  /** The process, created once; its readiness probe reads the ports chosen by then. */
  abstract ManagedProcess createProcess(Path directory);

  @Override
  public final synchronized void start() {
    if (closed) {
      throw new IllegalStateException(name + " server was closed");
    }
    if (directory == null) {
      directory = createDirectory();
      process = createProcess(directory);
    }
    if (process.isRunning()) {
      return;
    }
    // Another process may grab a port between choosing and binding it; only the first start may
    // move to other ports, later starts must keep the ports clients know.
    for (int attempt = 1; ; attempt++) {
      if (!portsFixed) {
        choosePorts();
      }
      writeConfig();
      try {
        process.start();
        portsFixed = true;
        return;
      } catch (ProcessStartException e) {
        if (portsFixed || attempt == PORT_ATTEMPTS || !e.isAddressInUse()) {
          throw e;
        }
      }
    }
  }

  @Override
  public final synchronized void stop() {
    if (process != null) {
      process.stop();
    }
  }

  @Override
  public final synchronized void kill() {
    if (process != null) {
      process.kill();
    }
  }

  @Override
  public final synchronized boolean isRunning() {
    return process != null && process.isRunning();
  }

  @Override
  public final synchronized Path directory() {
    requireStartedOnce();
    return directory;
  }

  @Override
  public final synchronized String logTail() {
    return process == null ? "(" + name + " never started)" : process.logTail();
  }

  @Override
  public final synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    if (directory != null && !Boolean.getBoolean(KEEP_DIRECTORIES_PROPERTY)) {
      ShutdownReaper.forgetDirectory(directory);
      ShutdownReaper.deleteRecursively(directory);
    }
  }

  /** Throws unless the ports are known, i.e. the server started successfully at least once. */
  final void requireStartedOnce() {
    if (!portsFixed) {
      throw new IllegalStateException(name + " server has not been started yet");
    }
  }

  private void writeConfig() {
    try {
      writeConfig(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name + " config in " + directory, e);
    }
  }

  private Path createDirectory() {
    try {
      Path created = Files.createTempDirectory("atelier-" + name + "-");
      if (!Boolean.getBoolean(KEEP_DIRECTORIES_PROPERTY)) {
        ShutdownReaper.deleteDirectoryAtExit(created);
      }
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for " + name, e);
    }
  }
}
