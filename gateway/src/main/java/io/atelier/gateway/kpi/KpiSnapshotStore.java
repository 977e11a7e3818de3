package io.atelier.gateway.kpi;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the KPI snapshot in one JSON file, {@code kpi-state.json} in the given directory, written
 * to a temporary file and moved into place so that a crash mid-write never leaves half a file. A
 * file that cannot be read is moved aside (kept for inspection) and the engine starts afresh.
 * Blocking: call from a worker, never from an event loop.
 */
public final class KpiSnapshotStore {

  private static final Logger LOG = LoggerFactory.getLogger(KpiSnapshotStore.class);
  static final String FILE = "kpi-state.json";

  private final Path dir;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public KpiSnapshotStore(Path dir) {
    this.dir = dir;
  }

  public Path file() {
    return dir.resolve(FILE);
  }

  /** Writes the snapshot atomically. */
  public void write(KpiSnapshot snapshot) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(FILE + ".tmp");
    json.writeValue(tmp.toFile(), snapshot);
    try {
      Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The last snapshot, if there is a readable one. */
  public Optional<KpiSnapshot> read() {
    Path f = file();
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(f.toFile(), KpiSnapshot.class));
    } catch (IOException | RuntimeException e) {
      Path aside = dir.resolve(FILE + ".unreadable-" + System.currentTimeMillis());
      LOG.warn(
          "The KPI snapshot {} cannot be read ({}); moved to {}, KPIs start afresh",
          f,
          e.getMessage(),
          aside);
      try {
        Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException moveFailed) {
        LOG.warn("Could not move the unreadable KPI snapshot aside: {}", moveFailed.getMessage());
      }
      return Optional.empty();
    }
  }
}
