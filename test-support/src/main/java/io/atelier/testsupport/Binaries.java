package io.atelier.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the executables the integration tests run (mosquitto, influxd, chromium, chromedriver). A
 * missing binary is a hard failure naming the Debian package to install: a test that silently skips
 * would hide that nothing was tested.
 */
public final class Binaries {

  /** Directories searched after PATH: Debian puts daemons in /usr/sbin, often not on PATH. */
  private static final List<Path> EXTRA_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"));

  private Binaries() {}

  /** The executable {@code name} on PATH, in /usr/sbin or in /usr/bin, if there is one. */
  public static Optional<Path> find(String name) {
    for (Path dir : searchPath()) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The executable {@code name}, or an {@link IllegalStateException} that says which Debian package
   * provides it and how to install it.
   */
  public static Path require(String name, String debianPackage) {
    return find(name)
        .orElseThrow(() -> new IllegalStateException(missingMessage(name, debianPackage)));
  }

  static String missingMessage(String name, String debianPackage) {
    return "Required binary '"
        + name
        + "' was not found on PATH, in /usr/sbin or in /usr/bin. It comes from the Debian package '"
        + debianPackage
        + "'. Install it with: sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive"
        + " apt-get install -y --no-install-recommends "
        + debianPackage
        + " (or run ./scripts/test.sh as root, which installs every test service).";
  }

  private static List<Path> searchPath() {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          dirs.add(Path.of(entry));
        }
      }
    }
    dirs.addAll(EXTRA_DIRS);
    return dirs;
  }
}
