package io.atelier.gateway.live;

import io.atelier.gateway.config.MachineConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The conversation with one client: in-band authentication and subscription changes. */
final class LiveSession {

  private final LiveClient client;
  private final LiveHub hub;
  private final Function<String, Optional<Viewer>> authenticate;
  private int rate;

  LiveSession(LiveClient client, LiveHub hub, Function<String, Optional<Viewer>> authenticate) {
    this.client = client;
    this.hub = hub;
    this.authenticate = authenticate;
    this.rate = hub.maxRate();
  }

  void onMessage(String text) {
    if (text.length() > LiveProtocol.MAX_CLIENT_MESSAGE) {
      client.close(LiveProtocol.CLOSE_POLICY, "message too large", "protocol");
      return;
    }
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      client.close(LiveProtocol.CLOSE_POLICY, "messages are JSON objects", "protocol");
      return;
    }
    String type = msg.getValue("type") instanceof String t ? t : "";
    if (client.viewer == null) {
      if (!type.equals("auth")) {
        client.close(LiveProtocol.CLOSE_POLICY, "authenticate first", "auth");
        return;
      }
      String token = msg.getValue("token") instanceof String t ? t : "";
      Optional<Viewer> viewer = authenticate.apply(token);
      if (viewer.isEmpty()) {
        client.close(LiveProtocol.CLOSE_POLICY, "invalid token", "auth");
      } else {
        authenticated(viewer.get());
      }
      return;
    }
    switch (type) {
      case "subscribe" -> change(msg, true);
      case "unsubscribe" -> change(msg, false);
      case "auth" -> client.send(LiveProtocol.error("bad-request", "already authenticated"));
      default ->
          client.send(LiveProtocol.error("bad-request", "unknown message type '" + type + "'"));
    }
  }

  void authenticated(Viewer viewer) {
    client.viewer = viewer;
    client.send(
        new JsonObject()
            .put("type", "hello")
            .put("auth", "ok")
            .put("name", viewer.name())
            .put("maxRate", rate));
  }

  private void change(JsonObject msg, boolean add) {
    Viewer viewer = client.viewer;
    List<String> problems = new ArrayList<>();
    Set<String> machines = new HashSet<>();
    Set<String> lines = new HashSet<>();
    Set<String> signals = new HashSet<>();
    for (String id : strings(msg, "machines", problems)) {
      Optional<MachineConfig> m = hub.machine(id);
      if (m.isEmpty()) {
        problems.add("machine " + id + ": unknown");
      } else if (add && !viewer.scope().allowsMachine(id, m.get().ref())) {
        problems.add("machine " + id + ": outside the token's scope");
      } else {
        machines.add(id);
      }
    }
    for (String line : strings(msg, "lines", problems)) {
      List<MachineConfig> onLine =
          hub.machines().stream().filter(m -> m.ref().linePath().equals(line)).toList();
      if (onLine.isEmpty()) {
        problems.add("line " + line + ": unknown (write site/area/line)");
      } else if (add
          && onLine.stream().noneMatch(m -> viewer.scope().allowsMachine(m.id(), m.ref()))) {
        problems.add("line " + line + ": outside the token's scope");
      } else {
        lines.add(line);
      }
    }
    for (String s : strings(msg, "signals", problems)) {
      int slash = s.indexOf('/');
      Optional<MachineConfig> m = slash > 0 ? hub.machine(s.substring(0, slash)) : Optional.empty();
      if (slash <= 0 || slash == s.length() - 1) {
        problems.add("signal " + s + ": write machine/signal");
      } else if (m.isEmpty()) {
        problems.add("signal " + s + ": unknown machine");
      } else if (add && !viewer.scope().allowsMachine(m.get().id(), m.get().ref())) {
        problems.add("signal " + s + ": outside the token's scope");
      } else {
        signals.add(s);
      }
    }
    if (msg.containsKey("maxRate")) {
      Object r = msg.getValue("maxRate");
      if (r instanceof Number n && n.intValue() >= 1) {
        rate = Math.min(n.intValue(), hub.maxRate());
        client.startTicking(hub.vertx(), rate);
      } else {
        problems.add("maxRate: a whole number of messages per second, at least 1");
      }
    }

    Subscription old = client.subscription;
    Subscription next =
        add
            ? new Subscription(
                union(old.machines(), machines),
                union(old.lines(), lines),
                union(old.signals(), signals))
            : new Subscription(
                minus(old.machines(), machines),
                minus(old.lines(), lines),
                minus(old.signals(), signals));
    if (next.size() > LiveProtocol.MAX_SUBSCRIPTIONS) {
      client.send(
          LiveProtocol.error(
              "bad-request", "at most " + LiveProtocol.MAX_SUBSCRIPTIONS + " subscriptions"));
      return;
    }
    client.subscription = next;
    hub.reindex();
    if (add) {
      sendLastValues(old, next, viewer);
    }
    client.send(
        new JsonObject()
            .put("type", "subscribed")
            .put("machines", new JsonArray(sorted(next.machines())))
            .put("lines", new JsonArray(sorted(next.lines())))
            .put("signals", new JsonArray(sorted(next.signals())))
            .put("maxRate", rate));
    if (!problems.isEmpty()) {
      client.send(LiveProtocol.error("rejected", String.join("; ", problems)));
    }
  }

  private void sendLastValues(Subscription old, Subscription next, Viewer viewer) {
    for (MachineConfig m : hub.machines()) {
      if (!viewer.scope().allowsMachine(m.id(), m.ref())) {
        continue;
      }
      boolean wasWhole =
          old.machines().contains(m.id()) || old.lines().contains(m.ref().linePath());
      boolean isWhole =
          next.machines().contains(m.id()) || next.lines().contains(m.ref().linePath());
      if (isWhole && !wasWhole) {
        hub.sendLastValues(client, m.id(), Set.of());
      } else if (!isWhole) {
        Set<String> added = new HashSet<>();
        for (String s : next.signals()) {
          if (s.startsWith(m.id() + "/") && !old.signals().contains(s)) {
            added.add(s.substring(m.id().length() + 1));
          }
        }
        if (!added.isEmpty()) {
          hub.sendLastValues(client, m.id(), added);
        }
      }
    }
  }

  private static List<String> strings(JsonObject msg, String key, List<String> problems) {
    Object v = msg.getValue(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray a)) {
      problems.add(key + ": expected a list");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      if (o instanceof String s) {
        out.add(s);
      } else {
        problems.add(key + ": expected strings");
      }
    }
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new HashSet<>(a);
    s.addAll(b);
    return s;
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> s = new HashSet<>(a);
    s.removeAll(b);
    return s;
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
