package io.atelier.gateway.influx;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.gateway.spool.ByteSize;
import io.atelier.gateway.spool.SpoolSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code storage:} section: the spool, and the InfluxDB it drains into. Without {@code influx:}
 * nothing is written anywhere: the spool keeps its segments (bounded) as importable line protocol,
 * for the demo or for a later import.
 *
 * @param spool the spool
 * @param influx the InfluxDB, if any
 * @param deadLetterFile where points InfluxDB refused (and samples that could not be encoded) go
 * @param deadLetterMaxBytes past this size dead letters are only counted and logged
 */
public record StorageSettings(
    SpoolSettings spool,
    Optional<InfluxSettings> influx,
    Path deadLetterFile,
    long deadLetterMaxBytes) {

  /** The timestamp precision of what is spooled: the writer's, or milliseconds. */
  public Precision precision() {
    return influx.map(InfluxSettings::precision).orElse(Precision.MS);
  }

  /** No InfluxDB, everything else default, under {@code dataDir}. */
  public static StorageSettings defaults(Path dataDir) {
    return new StorageSettings(
        SpoolSettings.defaults(dataDir),
        Optional.empty(),
        dataDir.resolve("dead-letter.lp"),
        100L << 20);
  }

  /**
   * Reads {@code storage} (pass an empty node when the section is absent). Relative paths are
   * relative to the working directory, like {@code gateway.dataDir}.
   */
  public static StorageSettings read(ConfigNode node, Path dataDir) {
    SpoolSettings spool = SpoolSettings.read(node.childOrEmpty("spool"), dataDir);
    Optional<InfluxSettings> influx = node.child("influx").map(InfluxSettings::read);
    Path deadLetter =
        node.string("deadLetterFile")
            .map(f -> Path.of(f).toAbsolutePath().normalize())
            .orElse(dataDir.resolve("dead-letter.lp"));
    long deadLetterMax = ByteSize.read(node, "deadLetterMaxBytes", 100L << 20, 0, 1L << 40);
    node.rejectUnknownKeys();
    return new StorageSettings(spool, influx, deadLetter, deadLetterMax);
  }
}
