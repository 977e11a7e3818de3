package io.atelier.testsupport;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Stops child processes still running when the JVM exits, then deletes their directories, so an
 * aborted test run leaves neither brokers and databases nor temp data behind. One hook for all.
 */
final class ShutdownReaper {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ShutdownReaper::reap, "atelier-process-reaper"));
  }

  private ShutdownReaper() {}

  static void register(Process process) {
    LIVE.add(process);
  }

  static void unregister(Process process) {
    LIVE.remove(process);
  }

  static void deleteDirectoryAtExit(Path directory) {
    DIRECTORIES.add(directory);
  }

  static void forgetDirectory(Path directory) {
    DIRECTORIES.remove(directory);
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // A leftover temp directory is not worth failing a test run for.
      LoggerFactory.getLogger(ShutdownReaper.class)
          .warn("could not delete {}: {}", root, e.toString());
    }
  }

  private static void reap() {
    LIVE.forEach(Process::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Process process : LIVE) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
          process.destroyForcibly();
          process.waitFor(1, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    DIRECTORIES.forEach(ShutdownReaper::deleteRecursively);
  }
}
