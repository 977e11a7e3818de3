package io.atelier.testsupport;

import java.nio.file.Path;

/**
 * A real server running as a child process on 127.0.0.1, in its own temporary directory. It keeps
 * its ports and data across {@link #stop()}/{@link #kill()} and a later {@link #start()}, so fault
 * tests can take it away and bring it back as clients expect.
 */
public interface LocalServer extends AutoCloseable {

  /** Starts (or restarts) the server and returns once it answers. No-op if running. */
  void start();

  /** Graceful stop: SIGTERM, SIGKILL after a bound. Data and ports are kept. */
  void stop();

  /** SIGKILL, like a crash or power loss. Data and ports are kept. */
  void kill();

  boolean isRunning();

  /** The server's temporary directory: config, data and the process log. */
  Path directory();

  /** The last lines of the process log. */
  String logTail();

  /** Stops the server and deletes its directory; the server cannot start again. */
  @Override
  void close();
}
