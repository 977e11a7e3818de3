package io.atelier.gateway.spool;

/**
 * Consecutive records read from one segment, for one write to InfluxDB. The body is their payloads
 * joined: whole lines, each ending with a newline.
 *
 * @param segment the segment id
 * @param start the offset of the first record
 * @param end the offset just past the last record; the checkpoint moves here once written
 * @param points how many lines the body holds
 * @param body the lines
 * @param precision the timestamp precision the segment was written with ({@code ms}, {@code ns}...)
 * @param firstAppendMillis when the first record was appended (epoch ms)
 */
public record SpoolBatch(
    long segment,
    long start,
    long end,
    int points,
    byte[] body,
    String precision,
    long firstAppendMillis) {}
