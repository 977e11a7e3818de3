package io.atelier.gateway.kpi;

/**
 * One machine's tally within one training session: only time and parts inside {@code [startMs,
 * endMs)} are added, so the session covers exactly its interval. Mutable, guarded by the engine.
 */
final class SessionTally {

  final String sessionId;
  final long startMs;
  long endMs = Long.MAX_VALUE;
  final double[] tally;

  SessionTally(String sessionId, long startMs, double[] tally) {
    this.sessionId = sessionId;
    this.startMs = startMs;
    this.tally = tally;
  }
}
