package io.atelier.gateway.spool;

import java.util.OptionalLong;

/**
 * A snapshot of the spool.
 *
 * @param bytes disk used by the segments
 * @param segments how many segment files there are
 * @param pendingPoints points appended and not yet acknowledged (written) by the writer
 * @param appendedPoints points appended since start
 * @param droppedPoints unwritten points deleted by {@code drop-oldest} since start
 * @param quarantinedBytes corrupt bytes moved aside since start
 * @param oldestPendingMillis when the oldest pending point was appended (epoch ms), if any
 * @param full true while the spool refuses appends (backpressure)
 * @param lastDropMillis when {@code drop-oldest} last deleted unwritten points (epoch ms), if ever
 */
public record SpoolStats(
    long bytes,
    int segments,
    long pendingPoints,
    long appendedPoints,
    long droppedPoints,
    long quarantinedBytes,
    OptionalLong oldestPendingMillis,
    boolean full,
    OptionalLong lastDropMillis) {}
