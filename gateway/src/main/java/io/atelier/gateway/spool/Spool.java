package io.atelier.gateway.spool;

import io.atelier.gateway.spool.SpoolSettings.FsyncPolicy;
import io.atelier.gateway.spool.SpoolSettings.FullPolicy;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable log between the pipeline and InfluxDB: append-only segment files of line protocol
 * (see {@link Frame}), a {@link Checkpoint} of what InfluxDB already has, rotation by size and age,
 * a size bound with a {@link FullPolicy}, and recovery at start-up ({@link SpoolRecovery}).
 *
 * <p>Threads: one thread appends at a time ({@link #append}, {@link #maintain}); one writer reads
 * and acknowledges ({@link #read}, {@link #ack}); anyone may read {@link #stats}. The file write
 * and fsync of an append run outside the lock, so the writer is never held up by the disk.
 */
public final class Spool implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  private final SpoolSettings settings;
  private final Path dir;
  private final Path quarantine;
  private final String precision;
  private final String database;
  private final String retentionPolicy;
  private final LongSupplier clock;
  private final Object appendLock = new Object();
  private final Object checkpointLock = new Object();
  private final byte[] frameHeader = new byte[Frame.HEADER_BYTES];
  private final ByteBuffer readHeader = ByteBuffer.allocate(Frame.HEADER_BYTES);

  // Guarded by this.
  private final ArrayDeque<SpoolSegment> segments = new ArrayDeque<>();
  private SpoolSegment active;
  private long nextId;
  private long bytes;
  private long pendingPoints;
  private long unreadPoints;
  private long appendedPoints;
  private long droppedPoints;
  private long quarantinedBytes;
  private long readSegment;
  private long readOffset;
  private long ackSegment;
  private long ackOffset;
  private boolean checkpointDirty;
  private boolean full;
  private long lastDropMillis = -1;

  /** Append time of the oldest pending record; kept current so that stats() never reads a file. */
  private long oldestPending = -1;

  private boolean unforced;
  private long lastForceMillis;
  private boolean closed;
  private byte[] body = new byte[64 * 1024];
  private volatile Runnable onAppend = () -> {};

  private Spool(
      SpoolSettings settings,
      String precision,
      String database,
      String retentionPolicy,
      LongSupplier clock) {
    this.settings = settings;
    this.dir = settings.dir();
    this.quarantine = dir.resolve("quarantine");
    this.precision = precision;
    this.database = database;
    this.retentionPolicy = retentionPolicy;
    this.clock = clock;
  }

  /**
   * Opens the spool in {@code settings.dir()}, verifying every record not yet written to InfluxDB
   * and quarantining corrupt parts. Blocking: call it at start-up, not on an event loop.
   *
   * @param precision the timestamp precision of the lines appended from now on ({@code ms}...)
   * @param database written into segment headers for {@code influx -import}
   * @param retentionPolicy likewise; empty for the default
   * @param clock epoch milliseconds
   */
  public static Spool open(
      SpoolSettings settings,
      String precision,
      String database,
      String retentionPolicy,
      LongSupplier clock)
      throws IOException {
    Spool spool = new Spool(settings, precision, database, retentionPolicy, clock);
    spool.recover();
    return spool;
  }

  private synchronized void recover() throws IOException {
    Files.createDirectories(dir);
    Optional<Checkpoint> checkpoint = Checkpoint.read(dir);
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
      for (Path p : list) {
        if (p.getFileName().toString().endsWith(".tmp")) {
          Files.delete(p); // an interrupted rewrite or checkpoint; the original is intact
          continue;
        }
        SpoolSegment.idOf(p).ifPresent(id -> files.put(id, p));
      }
    }
    long ckSegment = checkpoint.map(Checkpoint::segment).orElse(0L);
    nextId = Math.max(1, ckSegment);
    for (var e : files.entrySet()) {
      long id = e.getKey();
      nextId = Math.max(nextId, id + 1);
      if (id < ckSegment) {
        Files.delete(e.getValue()); // fully written before the last stop
        continue;
      }
      long from = checkpoint.isPresent() && id == ckSegment ? checkpoint.get().offset() : 0;
      SpoolRecovery.Recovered r = SpoolRecovery.recover(e.getValue(), id, from, quarantine);
      quarantinedBytes += r.quarantinedBytes();
      r.segment()
          .ifPresent(
              s -> {
                segments.addLast(s);
                bytes += s.size;
                pendingPoints += s.pendingPoints;
              });
    }
    SpoolSegment first = segments.peekFirst();
    if (first != null && checkpoint.isPresent() && first.id == ckSegment) {
      ackOffset = Math.min(Math.max(checkpoint.get().offset(), first.dataStart), first.size);
    } else if (first != null) {
      ackOffset = first.dataStart;
    }
    ackSegment = first != null ? first.id : nextId;
    readSegment = ackSegment;
    readOffset = ackOffset;
    unreadPoints = pendingPoints;
    refreshOldestPending();
    if (!segments.isEmpty()) {
      LOG.info(
          "Spool {}: {} point(s) in {} segment(s) waiting to be written",
          dir,
          pendingPoints,
          segments.size());
    }
  }

  /** Called after every append, on the appending thread; must be quick. */
  public void onAppend(Runnable listener) {
    this.onAppend = listener;
  }

  /**
   * Appends one record: {@code payload[0, length)}, whole lines each ending with a newline. When
   * this returns, the record is written (and forced to disk under {@link FsyncPolicy#BATCH}).
   *
   * @throws SpoolFullException when full under {@link FullPolicy#BACKPRESSURE}, or the record is
   *     larger than a quarter of the spool
   */
  public void append(byte[] payload, int length, int points) throws IOException {
    if (length <= 0 || payload[length - 1] != '\n') {
      throw new IllegalArgumentException("a record is whole lines, each ending with a newline");
    }
    int frameBytes = Frame.HEADER_BYTES + length;
    synchronized (appendLock) {
      long now = clock.getAsLong();
      SpoolSegment segment;
      long at;
      synchronized (this) {
        if (closed) {
          throw new IOException("the spool is closed");
        }
        if (frameBytes > settings.maxBytes() / 4) {
          throw new SpoolFullException(
              "a batch of " + frameBytes + " bytes is larger than a quarter of the spool");
        }
        if (active == null
            || (active.size > active.dataStart
                && (active.size + frameBytes > settings.segmentBytes()
                    || now - active.createdMillis >= settings.segmentAge().toMillis()))) {
          rotate(now);
        }
        makeRoom(frameBytes);
        segment = active;
        at = segment.size;
      }
      Frame.header(frameHeader, payload, length, now);
      segment.write(
          new ByteBuffer[] {ByteBuffer.wrap(frameHeader), ByteBuffer.wrap(payload, 0, length)}, at);
      if (settings.fsync() == FsyncPolicy.BATCH) {
        segment.force();
      }
      synchronized (this) {
        segment.size = at + frameBytes;
        segment.pendingPoints += points;
        bytes += frameBytes;
        pendingPoints += points;
        unreadPoints += points;
        appendedPoints += points;
        full = false;
        unforced |= settings.fsync() != FsyncPolicy.BATCH;
        if (oldestPending < 0) {
          oldestPending = now;
        }
      }
    }
    onAppend.run();
  }

  /** Rotates an old active segment and runs the interval fsync; call it every second or so. */
  public void maintain() throws IOException {
    synchronized (appendLock) {
      SpoolSegment toForce = null;
      synchronized (this) {
        if (closed) {
          return;
        }
        long now = clock.getAsLong();
        if (active != null
            && active.size > active.dataStart
            && now - active.createdMillis >= settings.segmentAge().toMillis()) {
          rotate(now);
        }
        if (settings.fsync() == FsyncPolicy.INTERVAL
            && unforced
            && now - lastForceMillis >= settings.fsyncInterval().toMillis()) {
          toForce = active;
          unforced = false;
          lastForceMillis = now;
        }
      }
      if (toForce != null) {
        toForce.force();
      }
    }
  }

  private void rotate(long now) throws IOException {
    if (active != null) {
      if (settings.fsync() != FsyncPolicy.NEVER) {
        active.force();
      }
      active.active = false;
      active.closeChannel();
    }
    boolean force = settings.fsync() == FsyncPolicy.BATCH;
    active = SpoolSegment.create(dir, nextId++, precision, database, retentionPolicy, now, force);
    if (force) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true); // the new file's directory entry
      }
    }
    segments.addLast(active);
    bytes += active.size;
  }

  private void makeRoom(int frameBytes) throws IOException {
    while (bytes + frameBytes > settings.maxBytes()) {
      if (settings.whenFull() == FullPolicy.BACKPRESSURE) {
        if (!full) {
          LOG.warn(
              "Spool full ({} bytes of {}): refusing new samples until InfluxDB catches up",
              bytes,
              settings.maxBytes());
        }
        full = true;
        throw new SpoolFullException(
            "the spool is full (" + ByteSize.format(settings.maxBytes()) + ", backpressure)");
      }
      SpoolSegment oldest = segments.peekFirst();
      if (oldest == null || oldest == active) {
        throw new SpoolFullException("the spool is full and has no closed segment to drop");
      }
      drop(oldest);
    }
  }

  private void drop(SpoolSegment s) throws IOException {
    removeFirst(s);
    droppedPoints += s.pendingPoints;
    refreshOldestPending();
    if (s.pendingPoints > 0) {
      lastDropMillis = clock.getAsLong();
    }
    LOG.warn(
        "Spool full: dropped segment {} with {} point(s) not yet written ({} dropped so far)",
        s.path.getFileName(),
        s.pendingPoints,
        droppedPoints);
  }

  /** Removes and deletes the oldest segment, keeping every counter and position consistent. */
  private void removeFirst(SpoolSegment s) throws IOException {
    segments.removeFirst();
    s.closeChannel();
    Files.deleteIfExists(s.path);
    bytes -= s.size;
    pendingPoints -= s.pendingPoints;
    unreadPoints -= Math.max(0, s.pendingPoints - s.readPoints);
    SpoolSegment next = segments.peekFirst();
    long nextSegment = next != null ? next.id : nextId;
    long nextStart = next != null ? next.dataStart : 0;
    if (readSegment <= s.id) {
      readSegment = nextSegment;
      readOffset = nextStart;
    }
    if (ackSegment <= s.id) {
      ackSegment = nextSegment;
      ackOffset = nextStart;
      checkpointDirty = true;
    }
  }

  /** Points appended and not yet read by the writer. */
  public synchronized long unreadPoints() {
    return unreadPoints;
  }

  /**
   * The next records after the read position, from one segment, up to {@code maxPoints} points (at
   * least one record, however large). Empty when there is nothing new.
   */
  public synchronized Optional<SpoolBatch> read(int maxPoints) throws IOException {
    if (maxPoints < 1) {
      throw new IllegalArgumentException("maxPoints must be positive");
    }
    while (!closed) {
      SpoolSegment seg = atOrAfter(readSegment);
      if (seg == null) {
        return Optional.empty();
      }
      if (seg.id != readSegment || readOffset < seg.dataStart) {
        readSegment = seg.id;
        readOffset = seg.dataStart;
      }
      if (readOffset >= seg.size) {
        if (seg.active) {
          return Optional.empty();
        }
        seg.closeChannel();
        readSegment = seg.id + 1;
        readOffset = 0; // not an offset in the next segment: start at its first record
        continue;
      }
      Optional<SpoolBatch> batch = readFrom(seg, maxPoints);
      if (batch.isPresent()) {
        return batch;
      }
    }
    return Optional.empty();
  }

  private Optional<SpoolBatch> readFrom(SpoolSegment seg, int maxPoints) throws IOException {
    FileChannel ch = seg.channel();
    long start = readOffset;
    long pos = start;
    int points = 0;
    int length = 0;
    long firstAppend = -1;
    while (pos < seg.size && points < maxPoints) {
      if (pos + Frame.HEADER_BYTES > seg.size) {
        skipCorrupt(seg, pos);
        break;
      }
      readHeader.clear();
      readFully(ch, readHeader, pos);
      long len = Frame.payloadLength(readHeader, 0);
      if (len <= 0 || pos + Frame.HEADER_BYTES + len > seg.size) {
        skipCorrupt(seg, pos);
        break;
      }
      if (body.length < length + len) {
        body = Arrays.copyOf(body, (int) Math.max(body.length * 2L, length + len));
      }
      ByteBuffer into = ByteBuffer.wrap(body, length, (int) len);
      readFully(ch, into, pos + Frame.HEADER_BYTES);
      if (!Frame.crcMatches(readHeader.array(), body, length, (int) len)) {
        skipCorrupt(seg, pos);
        break;
      }
      int framePoints = Frame.lines(body, length, (int) len);
      if (points > 0 && points + framePoints > maxPoints) {
        break;
      }
      if (firstAppend < 0) {
        firstAppend = Frame.appendMillis(readHeader, 0);
      }
      points += framePoints;
      length += (int) len;
      pos += Frame.HEADER_BYTES + len;
    }
    if (points == 0) {
      return Optional.empty();
    }
    if (readOffset == start) {
      readOffset = pos;
    }
    seg.readPoints += points;
    unreadPoints -= points;
    return Optional.of(
        new SpoolBatch(
            seg.id, start, pos, points, Arrays.copyOf(body, length), seg.precision, firstAppend));
  }

  /**
   * A record that fails its check while running (a bad disk block): move the bytes up to the next
   * valid record aside and read on from there. The batch read so far still ends before them.
   */
  private void skipCorrupt(SpoolSegment seg, long pos) throws IOException {
    int n = (int) (seg.size - pos);
    ByteBuffer rest = ByteBuffer.allocate(n);
    readFully(seg.channel(), rest, pos);
    rest.clear();
    int resume = Frame.resync(rest, 0);
    long lost = SpoolRecovery.lines(rest, 0, resume);
    Files.createDirectories(quarantine);
    Path aside =
        quarantine.resolve(seg.path.getFileName() + "." + pos + "-" + (pos + resume) + ".bad");
    Files.write(aside, Arrays.copyOf(rest.array(), resume));
    quarantinedBytes += resume;
    lost = Math.min(lost, seg.pendingPoints - seg.readPoints);
    seg.pendingPoints -= lost;
    pendingPoints -= lost;
    unreadPoints -= lost;
    readOffset = pos + resume;
    refreshOldestPending();
    LOG.error(
        "Spool segment {}: {} corrupt byte(s) at offset {} moved to {}",
        seg.path.getFileName(),
        resume,
        pos,
        aside);
  }

  /**
   * InfluxDB has {@code batch}: moves the checkpoint past it and deletes segments that are done.
   * Batches must be acknowledged in the order they were read. False if the batch's segment was
   * dropped meanwhile.
   */
  public synchronized boolean ack(SpoolBatch batch) throws IOException {
    SpoolSegment seg = find(batch.segment());
    if (seg == null) {
      return false;
    }
    seg.pendingPoints -= batch.points();
    seg.readPoints -= batch.points();
    pendingPoints -= batch.points();
    while (!segments.isEmpty() && segments.peekFirst().id < batch.segment()) {
      removeFirst(segments.peekFirst());
    }
    ackSegment = batch.segment();
    ackOffset = batch.end();
    checkpointDirty = true;
    if (!seg.active && ackOffset >= seg.size) {
      removeFirst(seg);
    }
    refreshOldestPending();
    return true;
  }

  /** Saves the checkpoint if it moved. Called by the writer now and then, and on close. */
  public void saveCheckpoint() throws IOException {
    synchronized (checkpointLock) {
      Checkpoint c;
      synchronized (this) {
        if (!checkpointDirty) {
          return;
        }
        c = new Checkpoint(ackSegment, ackOffset);
        checkpointDirty = false;
      }
      c.write(dir, settings.fsync() != FsyncPolicy.NEVER);
    }
  }

  public synchronized SpoolStats stats() {
    return new SpoolStats(
        bytes,
        segments.size(),
        pendingPoints,
        appendedPoints,
        droppedPoints,
        quarantinedBytes,
        oldestPending < 0 || pendingPoints <= 0
            ? OptionalLong.empty()
            : OptionalLong.of(oldestPending),
        full,
        lastDropMillis < 0 ? OptionalLong.empty() : OptionalLong.of(lastDropMillis));
  }

  private void refreshOldestPending() {
    oldestPending = oldestPendingMillis().orElse(-1);
  }

  /** The append time of the record at the checkpoint: how long the oldest unwritten point waits. */
  private OptionalLong oldestPendingMillis() {
    if (pendingPoints <= 0) {
      return OptionalLong.empty();
    }
    for (SpoolSegment seg : segments) {
      if (seg.id < ackSegment) {
        continue;
      }
      long at = seg.id == ackSegment ? Math.max(ackOffset, seg.dataStart) : seg.dataStart;
      if (at + Frame.HEADER_BYTES > seg.size) {
        continue;
      }
      try {
        ByteBuffer h = ByteBuffer.allocate(Frame.HEADER_BYTES);
        readFully(seg.channel(), h, at);
        long millis = Frame.appendMillis(h, 0);
        return millis < 0 ? OptionalLong.empty() : OptionalLong.of(millis);
      } catch (IOException e) {
        return OptionalLong.empty();
      } finally {
        if (!seg.active && seg.id != readSegment) {
          seg.closeChannel();
        }
      }
    }
    return OptionalLong.empty();
  }

  public Path directory() {
    return dir;
  }

  /** Forces what was appended to disk, saves the checkpoint and closes every file. Idempotent. */
  @Override
  public void close() throws IOException {
    synchronized (appendLock) {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        if (active != null && settings.fsync() != FsyncPolicy.NEVER) {
          active.force();
        }
        segments.forEach(SpoolSegment::closeChannel);
      }
      saveCheckpoint();
    }
  }

  private SpoolSegment atOrAfter(long id) {
    for (SpoolSegment s : segments) {
      if (s.id >= id) {
        return s;
      }
    }
    return null;
  }

  private SpoolSegment find(long id) {
    for (SpoolSegment s : segments) {
      if (s.id == id) {
        return s;
      }
    }
    return null;
  }

  private static void readFully(FileChannel ch, ByteBuffer into, long at) throws IOException {
    long pos = at;
    while (into.hasRemaining()) {
      int n = ch.read(into, pos);
      if (n < 0) {
        throw new IOException("unexpected end of spool segment at " + pos);
      }
      pos += n;
    }
  }
}
