package io.atelier.gateway.spool;

import io.atelier.connector.api.config.ConfigNode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The spool: where samples wait on disk until InfluxDB has them.
 *
 * @param dir the spool directory (segments, checkpoint, quarantine)
 * @param maxBytes the most disk the spool may use
 * @param segmentBytes a segment is closed and a new one started past this size
 * @param segmentAge ... or past this age, so idle data still ends up in a closed, importable file
 * @param whenFull what to do when a new batch would exceed {@code maxBytes}
 * @param fsync when appended data is forced to disk
 * @param fsyncInterval the period of {@link FsyncPolicy#INTERVAL}
 */
public record SpoolSettings(
    Path dir,
    long maxBytes,
    long segmentBytes,
    Duration segmentAge,
    FullPolicy whenFull,
    FsyncPolicy fsync,
    Duration fsyncInterval) {

  /** What a full spool does. Either way it is counted, logged and shown in /ready. */
  public enum FullPolicy {
    /** Delete the oldest segment, unwritten points included: the newest data wins. */
    DROP_OLDEST,
    /** Refuse new batches: the pipeline fails them and MQTT does not acknowledge upstream. */
    BACKPRESSURE
  }

  /** When the spool forces appended data to the disk. */
  public enum FsyncPolicy {
    /** Before acknowledging each batch: survives power loss. */
    BATCH,
    /**
     * Every {@code fsyncInterval}: survives a killed gateway, may lose that interval on power loss.
     */
    INTERVAL,
    /** Leave it to the operating system: survives a killed gateway only. */
    NEVER
  }

  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  public SpoolSettings {
    if (maxBytes < 2 * segmentBytes) {
      throw new IllegalArgumentException("maxBytes must be at least twice segmentBytes");
    }
  }

  /** Defaults under {@code dataDir/spool}; for tests and the demo. */
  public static SpoolSettings defaults(Path dataDir) {
    return new SpoolSettings(
        dataDir.resolve("spool"),
        DEFAULT_MAX_BYTES,
        DEFAULT_SEGMENT_BYTES,
        Duration.ofMinutes(10),
        FullPolicy.DROP_OLDEST,
        FsyncPolicy.BATCH,
        Duration.ofSeconds(1));
  }

  /** Reads {@code storage.spool}; every problem is recorded with its path. */
  public static SpoolSettings read(ConfigNode node, Path dataDir) {
    Path dir =
        node.string("dir")
            .map(d -> Path.of(d).toAbsolutePath().normalize())
            .orElse(dataDir.resolve("spool"));
    long maxBytes = ByteSize.read(node, "maxBytes", DEFAULT_MAX_BYTES, 2L << 20, 1L << 50);
    long segmentBytes =
        ByteSize.read(node, "segmentBytes", DEFAULT_SEGMENT_BYTES, 64L << 10, 1L << 31);
    Duration segmentAge = node.duration("segmentAge", Duration.ofMinutes(10));
    if (segmentAge.compareTo(Duration.ofSeconds(1)) < 0) {
      node.problems().add(node.path("segmentAge"), "must be at least 1s", segmentAge);
      segmentAge = Duration.ofMinutes(10);
    }
    FullPolicy whenFull = node.enumValue("whenFull", FullPolicy.class, FullPolicy.DROP_OLDEST);
    FsyncPolicy fsync = node.enumValue("fsync", FsyncPolicy.class, FsyncPolicy.BATCH);
    Duration fsyncInterval = node.duration("fsyncInterval", Duration.ofSeconds(1));
    if (fsyncInterval.isZero() || fsyncInterval.isNegative()) {
      node.problems().add(node.path("fsyncInterval"), "must be positive", fsyncInterval);
      fsyncInterval = Duration.ofSeconds(1);
    }
    node.rejectUnknownKeys();
    if (maxBytes < 2 * segmentBytes) {
      node.problems()
          .add(
              node.path("maxBytes"),
              "must be at least twice segmentBytes (" + ByteSize.format(segmentBytes) + ")",
              ByteSize.format(maxBytes));
      maxBytes = Math.max(DEFAULT_MAX_BYTES, 2 * segmentBytes);
    }
    return new SpoolSettings(
        dir, maxBytes, segmentBytes, segmentAge, whenFull, fsync, fsyncInterval);
  }
}
