package io.atelier.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process that can be started, stopped (SIGTERM, then SIGKILL after a bound), killed
 * (SIGKILL) and started again with the same command. Its stdout and stderr are appended to one log
 * file, so restarts keep the history. {@link #start()} returns only once the readiness probe says
 * yes, and fails with the log tail otherwise.
 */
public final class ManagedProcess {

  /** Says whether the process serves yet. An exception means "not yet" and is kept as cause. */
  @FunctionalInterface
  public interface ReadinessProbe {
    boolean isReady() throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);
  private static final int LOG_TAIL_LINES = 40;
  private static final long PROBE_INTERVAL_MS = 50;

  private final String name;
  private final List<String> command;
  private final Path workingDirectory;
  private final Path logFile;
  private final String removedEnvironmentPrefix;
  private final ReadinessProbe readiness;
  private final Duration startTimeout;
  private final Duration stopTimeout;

  private Process process;
  private int starts;

  private ManagedProcess(Builder builder) {
    this.name = builder.name;
    this.command = List.copyOf(builder.command);
    this.workingDirectory = Objects.requireNonNull(builder.workingDirectory, "workingDirectory");
    this.logFile =
        builder.logFile != null ? builder.logFile : workingDirectory.resolve(name + ".log");
    this.removedEnvironmentPrefix = builder.removedEnvironmentPrefix;
    this.readiness = builder.readiness;
    this.startTimeout = builder.startTimeout;
    this.stopTimeout = builder.stopTimeout;
  }

  public static Builder builder(String name, Path executable) {
    return new Builder(name, executable);
  }

  /** Starts the process and waits until it is ready. Does nothing if it is already running. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    starts++;
    appendToLog(
        "=== atelier test-support: start #" + starts + " at " + Instant.now() + ": " + command);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (!removedEnvironmentPrefix.isEmpty()) {
      builder.environment().keySet().removeIf(key -> key.startsWith(removedEnvironmentPrefix));
    }
    long began = System.nanoTime();
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ProcessStartException(
          "cannot launch " + name + ": " + e.getMessage(), logTail(), e);
    }
    ShutdownReaper.register(process);
    awaitReady(began);
    LOG.info(
        "{} ready (pid {}) after {} ms; log {}",
        name,
        process.pid(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
        logFile);
  }

  private void awaitReady(long began) {
    long deadline = began + startTimeout.toNanos();
    Exception lastProbeFailure = null;
    while (true) {
      if (!process.isAlive()) {
        int code = process.exitValue();
        forget();
        throw new ProcessStartException(
            name + " exited with code " + code + " before it was ready",
            logTail(),
            lastProbeFailure);
      }
      try {
        if (readiness.isReady()) {
          return;
        }
      } catch (Exception e) {
        lastProbeFailure = e;
      }
      if (System.nanoTime() > deadline) {
        terminate(process, true);
        forget();
        throw new ProcessStartException(
            name + " was not ready within " + startTimeout.toSeconds() + " s (killed it)",
            logTail(),
            lastProbeFailure);
      }
      // Waiting on the process itself: returns at once if it dies, else after the interval.
      try {
        process.waitFor(PROBE_INTERVAL_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        terminate(process, true);
        forget();
        throw new ProcessStartException(name + " start interrupted", logTail(), e);
      }
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within the stop timeout. No-op if not running. */
  public synchronized void stop() {
    if (process != null) {
      terminate(process, false);
      forget();
    }
  }

  /** SIGKILL, as a crash would; waits until the process is gone. No-op if not running. */
  public synchronized void kill() {
    if (process != null) {
      terminate(process, true);
      forget();
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  public synchronized OptionalLong pid() {
    return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  /** The last lines of the log file (all starts), for error messages. */
  public String logTail() {
    return tail(logFile, LOG_TAIL_LINES);
  }

  private void terminate(Process target, boolean forcibly) {
    try {
      if (!forcibly) {
        target.destroy();
        if (target.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        LOG.warn("{} ignored SIGTERM for {} s; killing it", name, stopTimeout.toSeconds());
      }
      target.destroyForcibly();
      if (!target.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " (pid " + target.pid() + ") survived SIGKILL");
      }
    } catch (InterruptedException e) {
      target.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void forget() {
    ShutdownReaper.unregister(process);
    process = null;
  }

  private void appendToLog(String line) {
    try {
      Files.writeString(
          logFile,
          line + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + logFile, e);
    }
  }

  static String tail(Path file, int maxLines) {
    if (!Files.exists(file)) {
      return "(no log file " + file + ")";
    }
    // Read only the end: logs of long fault tests can be large.
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, 16 * 1024);
      byte[] bytes = new byte[size];
      raf.seek(length - size);
      raf.readFully(bytes);
      List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** Describes the process; everything but the working directory and readiness has a default. */
  public static final class Builder {
    private final String name;
    private final List<String> command = new ArrayList<>();
    private Path workingDirectory;
    private Path logFile;
    private String removedEnvironmentPrefix = "";
    private ReadinessProbe readiness = () -> true;
    private Duration startTimeout = Duration.ofSeconds(30);
    private Duration stopTimeout = Duration.ofSeconds(10);

    private Builder(String name, Path executable) {
      this.name = Objects.requireNonNull(name, "name");
      command.add(executable.toString());
    }

    public Builder args(String... args) {
      command.addAll(List.of(args));
      return this;
    }

    public Builder workingDirectory(Path dir) {
      this.workingDirectory = dir;
      return this;
    }

    /** Defaults to {@code <workingDirectory>/<name>.log}. */
    public Builder logFile(Path file) {
      this.logFile = file;
      return this;
    }

    /** Drops inherited environment variables with this prefix (e.g. INFLUXDB_ overrides). */
    public Builder removeEnvironmentPrefix(String prefix) {
      this.removedEnvironmentPrefix = Objects.requireNonNull(prefix);
      return this;
    }

    public Builder readiness(ReadinessProbe probe) {
      this.readiness = Objects.requireNonNull(probe);
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    public ManagedProcess build() {
      return new ManagedProcess(this);
    }
  }
}
