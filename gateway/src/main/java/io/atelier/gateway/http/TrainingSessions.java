package io.atelier.gateway.http;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Training sessions: a KPI window a trainer starts and stops over some machines. Implemented by the
 * KPI engine; {@link #NONE} until it is connected (the routes answer 503).
 */
public interface TrainingSessions {

  /**
   * One session.
   *
   * @param id stable id
   * @param name what the trainer called it
   * @param machines the machines it covers
   * @param startedBy the token name that started it
   * @param started when it started
   * @param stopped when it stopped; empty while running
   */
  record Session(
      String id,
      String name,
      List<String> machines,
      String startedBy,
      Instant started,
      Optional<Instant> stopped) {
    public Session {
      machines = List.copyOf(machines);
    }
  }

  boolean available();

  List<Session> list();

  Optional<Session> get(String id);

  /** Starts a session over the given machines (already checked against the caller's scope). */
  Future<Session> start(String name, List<String> machines, String startedBy);

  /** Stops a running session; empty if there is no such session. */
  Future<Optional<Session>> stop(String id, String stoppedBy);

  TrainingSessions NONE =
      new TrainingSessions() {
        @Override
        public boolean available() {
          return false;
        }

        @Override
        public List<Session> list() {
          return List.of();
        }

        @Override
        public Optional<Session> get(String id) {
          return Optional.empty();
        }

        @Override
        public Future<Session> start(String name, List<String> machines, String startedBy) {
          return Future.failedFuture(ApiError.unavailable("training sessions are not available"));
        }

        @Override
        public Future<Optional<Session>> stop(String id, String stoppedBy) {
          return Future.failedFuture(ApiError.unavailable("training sessions are not available"));
        }
      };
}
