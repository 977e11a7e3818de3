package io.atelier.connector.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orphan-session adoption for shared subscriptions. A member that crashes keeps its persistent
 * session, and Mosquitto keeps routing that member's share of the group's messages into it until
 * the session expires; no other member ever sees them. So every member announces itself (retained
 * {@code online} on {@code <topic>/<clientId>}) and leaves an MQTT 5 will ({@code offline},
 * retained, delayed by {@code takeover.delay}). When a member sees another member of one of its
 * groups go {@code offline}, it adopts the orphaned session ({@link AdoptedSession}): it connects
 * under the peer's client id and drains the share through its own pipeline, until the owner comes
 * back (the broker then hands the session to the owner: "session taken over").
 *
 * <p>At most one adoption (attempt) per peer at a time; after a failed or lost one the next waits
 * for a capped backoff. An adoption ended by "session taken over" is not retried for the same
 * {@code offline} message (the owner, or another member, has the session now).
 *
 * <p>{@link #onPresence} runs on Paho's callback thread and never throws.
 */
final class Takeover implements Adoption.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);
  private static final int LOGGED_INVALID = 10;

  /** Builds the adoption of one peer; a seam for tests. */
  interface Adopter {
    Adoption adopt(Presence trigger, byte[] payload, Adoption.Listener listener);
  }

  /** What we know about one other member. */
  private static final class Peer {
    Presence latest;
    byte[] latestPayload = new byte[0];
    Adoption adoption;
    boolean active;
    long retryTimer = -1;
    // An adopter connection that dropped without saying why: set until presence tells us.
    Interrupted interrupted;
    long notBefore;
    Backoff backoff;
    byte[] takenOverTrigger;
  }

  private final String connectionId;
  private final String ownClientId;
  private final Set<String> groups;
  private final TakeoverSettings settings;
  private final Vertx vertx;
  private final MqttStats stats;
  private final Adopter adopter;
  private final MqttSettings mqtt;

  /** An adoption whose connection dropped; ended for good once we know who has the session. */
  private record Interrupted(Adoption session, String detail, long timer) {}

  private final Map<String, Peer> peers = new HashMap<>();
  private boolean stopped;

  Takeover(String connectionId, MqttSettings mqtt, Vertx vertx, MqttStats stats, Adopter adopter) {
    this.connectionId = connectionId;
    this.ownClientId = mqtt.clientId();
    this.groups = mqtt.shareGroups();
    this.settings = mqtt.takeover();
    this.mqtt = mqtt;
    this.vertx = vertx;
    this.stats = stats;
    this.adopter = adopter;
  }

  /** The will payload announcing {@code clientId} offline. */
  static Presence offline(String clientId, Set<String> groups) {
    return new Presence(
        Presence.State.OFFLINE, clientId, groups, Optional.empty(), System.currentTimeMillis());
  }

  Presence online() {
    return new Presence(
        Presence.State.ONLINE, ownClientId, groups, Optional.empty(), System.currentTimeMillis());
  }

  Presence stoppedPresence() {
    return new Presence(
        Presence.State.STOPPED, ownClientId, groups, Optional.empty(), System.currentTimeMillis());
  }

  boolean isPresenceTopic(String topic) {
    return settings.clientIdOf(topic).isPresent();
  }

  /** Our own connection is up: announce ourselves and (re)read everyone's retained presence. */
  void onOwnConnected(MqttSession session) {
    session.publish(settings.presenceTopic(ownClientId), online().toJson(), 1, true);
    session.subscribeQuietly(settings.presenceFilter(), 0);
  }

  /** A message on a presence topic. Never throws. */
  void onPresence(String topic, byte[] payload) {
    try {
      Optional<String> peerId = settings.clientIdOf(topic);
      if (peerId.isEmpty() || peerId.get().equals(ownClientId)) {
        return;
      }
      Presence presence;
      try {
        presence = Presence.parse(peerId.get(), payload);
      } catch (Presence.Invalid e) {
        stats.increment(MqttStats.TAKEOVER_PRESENCE_INVALID);
        if (stats.get(MqttStats.TAKEOVER_PRESENCE_INVALID) <= LOGGED_INVALID) {
          LOG.warn(
              "MQTT {}: ignoring presence message on '{}': {}",
              connectionId,
              topic,
              e.getMessage());
        }
        return;
      }
      synchronized (this) {
        if (stopped) {
          return;
        }
        Peer peer = peers.computeIfAbsent(peerId.get(), k -> newPeer());
        if (presence.state() == Presence.State.ADOPTED
            && presence.by().equals(Optional.of(ownClientId))) {
          return; // our own announcement; says nothing new
        }
        peer.latest = presence;
        peer.latestPayload = payload.clone();
        if (peer.interrupted != null) {
          settleInterrupted(peer, presence);
        }
        if (presence.state() != Presence.State.OFFLINE) {
          cancelRetry(peer);
          return;
        }
        if (!presence.sharesGroupWith(groups)) {
          LOG.debug("MQTT {}: {} is offline but shares no group with us", connectionId, topic);
          return;
        }
        if (peer.takenOverTrigger != null && Arrays.equals(peer.takenOverTrigger, payload)) {
          return; // the same offline message whose adoption the owner (or another) took back
        }
        attemptWhenAllowed(peer.latest.clientId(), peer);
      }
    } catch (RuntimeException e) {
      LOG.error("MQTT {}: presence handling failed on '{}'", connectionId, topic, e);
    }
  }

  /**
   * Mosquitto 2.0 closes the connection of a session's previous holder without the MQTT 5 "session
   * taken over" DISCONNECT, so a dropped adopter connection is ambiguous. The next presence of the
   * peer settles it: {@code online} (the owner is back) or {@code adopted} by another member means
   * the session was taken over; {@code offline} is our adopter's own will (the connection was
   * really lost; adopt again).
   */
  private void settleInterrupted(Peer peer, Presence presence) {
    Interrupted i = peer.interrupted;
    Adoption.End end =
        switch (presence.state()) {
          case ONLINE, ADOPTED -> Adoption.End.TAKEN_OVER;
          default -> Adoption.End.LOST;
        };
    vertx.cancelTimer(i.timer());
    peer.interrupted = null;
    String why =
        i.detail()
            + "; then "
            + presence.clientId()
            + " announced "
            + presence.state().code()
            + presence.by().map(b -> " by " + b).orElse("");
    finish(peer, i.session(), end, why);
  }

  private Peer newPeer() {
    Peer p = new Peer();
    p.backoff = new Backoff(mqtt.reconnectMinDelay(), mqtt.reconnectMaxDelay());
    return p;
  }

  private void attemptWhenAllowed(String peerId, Peer peer) {
    if (peer.adoption != null || peer.retryTimer >= 0) {
      return;
    }
    long wait = peer.notBefore - System.currentTimeMillis();
    if (wait > 0) {
      peer.retryTimer =
          vertx.setTimer(
              wait,
              id -> {
                synchronized (this) {
                  peer.retryTimer = -1;
                  attempt(peerId, peer);
                }
              });
    } else {
      attempt(peerId, peer);
    }
  }

  private void attempt(String peerId, Peer peer) {
    if (stopped || peer.adoption != null || peer.latest.state() != Presence.State.OFFLINE) {
      return;
    }
    stats.increment(MqttStats.TAKEOVER_ATTEMPTS);
    LOG.info(
        "MQTT {}: {} is offline; {} adopts its session (shared groups {})",
        connectionId,
        peerId,
        ownClientId,
        peer.latest.groups());
    Adoption session = adopter.adopt(peer.latest, peer.latestPayload, this);
    peer.adoption = session;
    try {
      session.start();
    } catch (RuntimeException e) {
      peer.adoption = null;
      LOG.warn("MQTT {}: cannot adopt the session of {}: {}", connectionId, peerId, e.toString());
    }
  }

  private void cancelRetry(Peer peer) {
    if (peer.retryTimer >= 0) {
      vertx.cancelTimer(peer.retryTimer);
      peer.retryTimer = -1;
    }
  }

  @Override
  public synchronized void adopted(Adoption session) {
    Peer peer = peers.get(session.peerId());
    if (peer == null || peer.adoption != session) {
      return;
    }
    peer.active = true;
    stats.increment(MqttStats.TAKEOVER_ADOPTIONS);
    LOG.info(
        "MQTT {}: adoption started: {} now holds the session of {} and receives its share",
        connectionId,
        ownClientId,
        session.peerId());
  }

  @Override
  public synchronized void ended(Adoption session, Adoption.End end, String detail) {
    Peer peer = peers.get(session.peerId());
    if (peer == null || peer.adoption != session) {
      stats.increment(MqttStats.TAKEOVER_ENDED_PREFIX + end.code);
      return;
    }
    peer.active = false;
    Presence.State now = peer.latest.state();
    if (end == Adoption.End.LOST
        && (now == Presence.State.ONLINE || now == Presence.State.ADOPTED)) {
      // The owner (or another member) announced itself before we noticed the drop.
      end = Adoption.End.TAKEN_OVER;
      detail =
          detail
              + "; "
              + session.peerId()
              + " had announced "
              + now.code()
              + peer.latest.by().map(b -> " by " + b).orElse("");
    }
    if (end == Adoption.End.LOST && !stopped) {
      // Hold the peer (no new attempt) until its presence says who has the session now; at the
      // latest our adopter's will says "offline" after the delay.
      long wait = settings.delay().toMillis() + 5_000;
      long timer =
          vertx.setTimer(
              wait,
              id -> {
                synchronized (this) {
                  Interrupted i = peer.interrupted;
                  if (i != null && i.session() == session) {
                    peer.interrupted = null;
                    finish(peer, session, Adoption.End.LOST, i.detail());
                  }
                }
              });
      peer.interrupted = new Interrupted(session, detail, timer);
      LOG.debug(
          "MQTT {}: adopted session of {} dropped ({}); waiting for its presence",
          connectionId,
          session.peerId(),
          detail);
      return;
    }
    finish(peer, session, end, detail);
  }

  private void finish(Peer peer, Adoption session, Adoption.End end, String detail) {
    stats.increment(MqttStats.TAKEOVER_ENDED_PREFIX + end.code);
    peer.adoption = null;
    LOG.info(
        "MQTT {}: adoption {}: {} no longer holds the session of {} ({}: {})",
        connectionId,
        session.wasAdopted() ? "ended" : "not made",
        ownClientId,
        session.peerId(),
        end.code,
        detail);
    switch (end) {
      case TAKEN_OVER -> {
        peer.takenOverTrigger = session.triggerPayload();
        peer.backoff.reset();
      }
      case EXPIRED, STOPPED -> peer.backoff.reset();
      case LOST, FAILED -> {
        peer.notBefore = System.currentTimeMillis() + peer.backoff.nextDelayMillis();
        // Still offline as far as we know: try again after the backoff.
        if (!stopped && peer.latest.state() == Presence.State.OFFLINE) {
          attemptWhenAllowed(session.peerId(), peer);
        }
      }
    }
  }

  /** Adoptions in progress or held; for logs and tests. */
  synchronized int active() {
    int n = 0;
    for (Peer p : peers.values()) {
      n += p.active ? 1 : 0;
    }
    return n;
  }

  /**
   * Planned stop: hands every adopted session back to the broker with its will (another member
   * adopts it after the delay).
   */
  Future<Void> stop() {
    List<Future<Void>> stops = new ArrayList<>();
    synchronized (this) {
      stopped = true;
      for (Peer p : peers.values()) {
        cancelRetry(p);
        if (p.interrupted != null) {
          vertx.cancelTimer(p.interrupted.timer());
        }
        if (p.adoption != null) {
          stops.add(p.adoption.stop());
        }
      }
    }
    return Future.join(stops).mapEmpty();
  }
}
