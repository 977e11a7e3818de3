package io.atelier.gateway.kpi;

import java.util.Arrays;

/**
 * Fixed-width time buckets in a ring, each holding one {@link Tally}: the incremental store behind
 * the rolling windows. A bucket is addressed by its absolute number ({@code epochMs / width}), so
 * late additions land in the right bucket while it is still in the ring, and a bucket that has
 * rolled out is simply gone (the addition is refused and counted by the caller).
 */
final class BucketRing {

  private static final long EMPTY = Long.MIN_VALUE;

  private final long widthMs;
  private final int count;
  private final long[] bucketNo;
  private final double[] data;

  BucketRing(long widthMs, int count) {
    if (widthMs <= 0 || count <= 0) {
      throw new IllegalArgumentException("width and count must be positive");
    }
    this.widthMs = widthMs;
    this.count = count;
    this.bucketNo = new long[count];
    this.data = new double[count * Tally.FIELDS];
    Arrays.fill(bucketNo, EMPTY);
  }

  long widthMs() {
    return widthMs;
  }

  int count() {
    return count;
  }

  /** Adds {@code amount} to a field of the bucket holding {@code atMs}; false if it rolled out. */
  boolean add(int field, long atMs, double amount) {
    int base = slotFor(Math.floorDiv(atMs, widthMs));
    if (base < 0) {
      return false;
    }
    data[base + field] += amount;
    return true;
  }

  /**
   * Adds the milliseconds of {@code [fromMs, toMs)} times {@code sign} to a field, split over the
   * buckets the interval touches. False if part of it had rolled out.
   */
  boolean addTime(int field, long fromMs, long toMs, int sign) {
    boolean all = true;
    long t = fromMs;
    while (t < toMs) {
      long b = Math.floorDiv(t, widthMs);
      long end = Math.min(toMs, (b + 1) * widthMs);
      int base = slotFor(b);
      if (base >= 0) {
        data[base + field] += sign * (double) (end - t);
      } else {
        all = false;
      }
      t = end;
    }
    return all;
  }

  /**
   * Adds into {@code out} the buckets of the window of {@code n} buckets that ends with the bucket
   * holding {@code nowMs}; returns the start of the oldest bucket of that window.
   */
  long sum(long nowMs, int n, double[] out) {
    long newest = Math.floorDiv(nowMs, widthMs);
    for (int k = 0; k < n; k++) {
      long b = newest - k;
      int slot = (int) Math.floorMod(b, (long) count);
      if (bucketNo[slot] == b) {
        int base = slot * Tally.FIELDS;
        for (int f = 0; f < Tally.FIELDS; f++) {
          out[f] += data[base + f];
        }
      }
    }
    return (newest - n + 1) * widthMs;
  }

  /**
   * The base index of bucket {@code b} in {@link #data}, claiming the slot if newer; -1 if gone.
   */
  private int slotFor(long b) {
    int slot = (int) Math.floorMod(b, (long) count);
    long held = bucketNo[slot];
    if (held != b) {
      if (held != EMPTY && held > b) {
        return -1;
      }
      bucketNo[slot] = b;
      Arrays.fill(data, slot * Tally.FIELDS, (slot + 1) * Tally.FIELDS, 0.0);
    }
    return slot * Tally.FIELDS;
  }

  /** The non-empty buckets, for a snapshot: numbers and their tallies. */
  KpiSnapshot.Ring snapshot() {
    int n = 0;
    for (long b : bucketNo) {
      if (b != EMPTY) {
        n++;
      }
    }
    long[] numbers = new long[n];
    double[][] tallies = new double[n][];
    int i = 0;
    for (int slot = 0; slot < count; slot++) {
      if (bucketNo[slot] != EMPTY) {
        numbers[i] = bucketNo[slot];
        tallies[i] = Arrays.copyOfRange(data, slot * Tally.FIELDS, (slot + 1) * Tally.FIELDS);
        i++;
      }
    }
    return new KpiSnapshot.Ring(widthMs, count, numbers, tallies);
  }

  /** Restores buckets from a snapshot taken with the same width and count; false otherwise. */
  boolean restore(KpiSnapshot.Ring s) {
    if (s.widthMs() != widthMs || s.count() != count) {
      return false;
    }
    for (int i = 0; i < s.numbers().length; i++) {
      double[] tally = s.tallies()[i];
      if (tally.length != Tally.FIELDS) {
        return false;
      }
      int base = slotFor(s.numbers()[i]);
      if (base >= 0) {
        System.arraycopy(tally, 0, data, base, Tally.FIELDS);
      }
    }
    return true;
  }
}
