package io.atelier.gateway.live;

import java.util.Set;

/**
 * What one client asked for: whole machines, whole lines ({@code site/area/line}) and single
 * signals ({@code machine/signal}). Immutable; every change makes a new one.
 */
record Subscription(Set<String> machines, Set<String> lines, Set<String> signals) {

  static final Subscription NONE = new Subscription(Set.of(), Set.of(), Set.of());

  Subscription {
    machines = Set.copyOf(machines);
    lines = Set.copyOf(lines);
    signals = Set.copyOf(signals);
  }

  int size() {
    return machines.size() + lines.size() + signals.size();
  }
}
