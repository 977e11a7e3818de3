package io.atelier.simulator.mqtt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Messages waiting for the broker and messages in flight. At most {@code window} messages are in
 * flight: the broker's Receive Maximum (20 on Mosquitto), beyond which Paho refuses to publish.
 * When full, the oldest waiting message makes room. Not thread-safe: used on the publisher's
 * thread.
 */
final class OutboundQueue {

  private final int capacity;
  private final ArrayDeque<OutboundMessage> waiting = new ArrayDeque<>();

  /**
   * In sending order, so a broken connection requeues them in order. Record equality suffices:
   * every message has its own payload array, which compares by identity.
   */
  private final Set<OutboundMessage> inFlight = new LinkedHashSet<>();

  private int window = 1;

  OutboundQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Appends a message; returns false when the oldest waiting message was dropped for it. */
  boolean offer(OutboundMessage message) {
    boolean dropped = false;
    if (waiting.size() >= capacity) {
      waiting.pollFirst();
      dropped = true;
    }
    waiting.addLast(message);
    return !dropped;
  }

  void setWindow(int messages) {
    window = Math.max(1, messages);
  }

  /** Paho refused for lack of room: the real window is what is in flight now. */
  void shrinkWindowToInFlight() {
    window = Math.max(1, inFlight.size());
  }

  /** The next message to publish, now counted as in flight, if the window has room. */
  Optional<OutboundMessage> take() {
    if (inFlight.size() >= window || waiting.isEmpty()) {
      return Optional.empty();
    }
    OutboundMessage m = waiting.pollFirst();
    inFlight.add(m);
    return Optional.of(m);
  }

  /** Puts a message that could not be handed to Paho back at the head. */
  void putBack(OutboundMessage message) {
    inFlight.remove(message);
    waiting.addFirst(message);
  }

  /** Ends a message's flight; false when it was no longer in flight (already requeued). */
  boolean land(OutboundMessage message) {
    return inFlight.remove(message);
  }

  /**
   * The connection broke: JSON messages in flight go back to the head (at-least-once); Sparkplug
   * ones are dropped, the next births carry their values. Returns how many were requeued.
   */
  int requeueInFlight() {
    List<OutboundMessage> again = new ArrayList<>();
    for (OutboundMessage m : inFlight) {
      if (!m.sparkplug()) {
        again.add(m);
      }
    }
    inFlight.clear();
    Collections.reverse(again);
    again.forEach(waiting::addFirst);
    return again.size();
  }

  /** New births go first; Sparkplug messages numbered for the previous birth are discarded. */
  void replaceSparkplug(List<OutboundMessage> births) {
    waiting.removeIf(OutboundMessage::sparkplug);
    List<OutboundMessage> reversed = new ArrayList<>(births);
    Collections.reverse(reversed);
    reversed.forEach(waiting::addFirst);
  }

  int waitingCount() {
    return waiting.size();
  }
}
