package io.atelier.connector.mqtt;

import com.fasterxml.jackson.core.JsonPointer;
import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.ConnectionSpec.SignalSpec;
import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.connector.mqtt.TopicTemplate.Placeholder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps received topics to configured machines and signals: the connection's topic templates, the
 * machines' own topics ({@code source: {topic: ...}}) and signals' own topics ({@code topic:}), and
 * Sparkplug device ids. Built once from the configuration; immutable and thread-safe.
 *
 * <p>Routing a template topic splits it, looks the machine up and builds a route: a few hundred
 * nanoseconds and several objects per message. A device publishes on the same topics over and over,
 * so found routes are remembered per topic (up to {@link #MAX_CACHED_ROUTES} topics; beyond that,
 * new topics are routed afresh each time, so an unbounded topic space cannot grow memory).
 */
public final class MqttMapping {

  /** Bounds the route cache: about 200 bytes per topic, so at most a few tens of MB. */
  static final int MAX_CACHED_ROUTES = 100_000;

  private final Map<String, MachineMapping> machines;
  private final List<SubscriptionSettings> templates;
  private final List<TopicTemplate> sparkplugTemplates;
  private final Map<String, Route> exactRoutes;
  private final List<FilterRoute> filterRoutes;
  private final Map<String, List<MachineMapping>> sparkplugDevices;
  private final List<SubscriptionSettings> subscriptions;
  private final Map<String, RouteResult.Found> routeCache = new ConcurrentHashMap<>();

  private record FilterRoute(TopicTemplate template, Route route) {}

  private MqttMapping(
      Map<String, MachineMapping> machines,
      List<SubscriptionSettings> templates,
      List<TopicTemplate> sparkplugTemplates,
      Map<String, Route> exactRoutes,
      List<FilterRoute> filterRoutes,
      Map<String, List<MachineMapping>> sparkplugDevices,
      List<SubscriptionSettings> subscriptions) {
    this.machines = Map.copyOf(machines);
    this.templates = List.copyOf(templates);
    this.sparkplugTemplates = List.copyOf(sparkplugTemplates);
    this.exactRoutes = Map.copyOf(exactRoutes);
    this.filterRoutes = List.copyOf(filterRoutes);
    this.sparkplugDevices = Map.copyOf(sparkplugDevices);
    this.subscriptions = List.copyOf(subscriptions);
  }

  /** Reads every machine's source and signals, recording problems with their YAML paths. */
  public static MqttMapping read(
      ConnectionSpec spec, MqttSettings settings, ConfigProblems problems) {
    Map<String, MachineMapping> machines = new LinkedHashMap<>();
    Map<String, Route> exact = new HashMap<>();
    Map<String, String> exactOwner = new HashMap<>();
    List<FilterRoute> filters = new ArrayList<>();
    Map<String, List<MachineMapping>> devices = new HashMap<>();
    Map<String, SubscriptionSettings> explicitSubs = new LinkedHashMap<>();

    for (MachineSpec m : spec.machines()) {
      MachineMapping machine = readMachine(m, settings, problems);
      machines.put(machine.id(), machine);
      List<MachineMapping> sameDevice =
          devices.computeIfAbsent(machine.sparkplugDevice(), k -> new ArrayList<>());
      for (MachineMapping other : sameDevice) {
        if (other.sparkplugNode().isEmpty()
            || machine.sparkplugNode().isEmpty()
            || other.sparkplugNode().equals(machine.sparkplugNode())) {
          problems.add(
              m.path() + ".source.sparkplugDevice",
              "Sparkplug device '"
                  + machine.sparkplugDevice()
                  + "' is already mapped to machine "
                  + other.id()
                  + " (set sparkplugNode on both to tell them apart)");
        }
      }
      sameDevice.add(machine);

      machine
          .topic()
          .ifPresent(
              t -> {
                Route r =
                    new Route(
                        machine,
                        Optional.empty(),
                        machine.decoder(),
                        Optional.empty(),
                        machine.timestampPointer());
                addRoute(t, r, m.path() + ".source.topic", exact, exactOwner, filters, problems);
                addSubscription(explicitSubs, t, machine.qos(), machine.decoder());
              });
      for (int i = 0; i < m.signals().size(); i++) {
        SignalSpec s = m.signals().get(i);
        SignalMapping sig = machine.signals().get(s.name());
        if (sig == null || sig.topic().isEmpty()) {
          continue;
        }
        Route r =
            new Route(
                machine,
                Optional.of(sig.name()),
                sig.decoder(),
                sig.pointer(),
                sig.timestampPointer().or(machine::timestampPointer));
        addRoute(sig.topic().get(), r, s.path() + ".topic", exact, exactOwner, filters, problems);
        addSubscription(explicitSubs, sig.topic().get(), sig.qos(), sig.decoder());
      }
    }

    List<SubscriptionSettings> templates = new ArrayList<>();
    List<TopicTemplate> sparkplug = new ArrayList<>();
    for (SubscriptionSettings s : settings.subscriptions()) {
      if (s.decoder() == DecoderKind.SPARKPLUG) {
        sparkplug.add(s.template());
      } else {
        templates.add(s);
      }
    }
    List<SubscriptionSettings> all = new ArrayList<>(settings.subscriptions());
    all.addAll(explicitSubs.values());
    if (all.isEmpty()) {
      problems.add(
          spec.path() + ".settings.subscriptions",
          "nothing to subscribe to: add a subscription, or a topic to a machine's source");
    }
    for (MachineSpec m : spec.machines()) {
      if (m.source().containsKey("sparkplugDevice") && sparkplug.isEmpty()) {
        problems.add(
            m.path() + ".source.sparkplugDevice",
            "no subscription uses decoder: sparkplug, so this device is never heard");
      }
    }
    return new MqttMapping(machines, templates, sparkplug, exact, filters, devices, all);
  }

  private static void addRoute(
      TopicTemplate t,
      Route r,
      String path,
      Map<String, Route> exact,
      Map<String, String> exactOwner,
      List<FilterRoute> filters,
      ConfigProblems problems) {
    if (t.isExact()) {
      String owner = exactOwner.putIfAbsent(t.text(), path);
      if (owner != null) {
        problems.add(path, "topic is already mapped at " + owner, t.text());
      } else {
        exact.put(t.text(), r);
      }
    } else {
      filters.add(new FilterRoute(t, r));
    }
  }

  private static void addSubscription(
      Map<String, SubscriptionSettings> subs, TopicTemplate t, int qos, DecoderKind decoder) {
    SubscriptionSettings old = subs.get(t.filter());
    if (old == null || old.qos() < qos) {
      subs.put(t.filter(), new SubscriptionSettings(t, qos, decoder, Optional.empty()));
    }
  }

  private static MachineMapping readMachine(
      MachineSpec m, MqttSettings settings, ConfigProblems problems) {
    ConfigNode source = m.sourceNode(problems);
    Optional<TopicTemplate> topic = explicitTopic(source, "topic", true);
    DecoderKind decoder =
        source.enumValue(
            "decoder",
            DecoderKind.class,
            topic.filter(t -> t.binds(Placeholder.SIGNAL)).isPresent()
                ? DecoderKind.JSON_VALUE
                : DecoderKind.JSON_BATCH);
    int qos = source.integer("qos", 1, 0, 2);
    Optional<JsonPointer> tsPointer = pointer(source, "timestampPointer");
    String device = source.string("sparkplugDevice").map(String::trim).orElse(m.id());
    Optional<String> node = source.string("sparkplugNode").map(String::trim);
    boolean accept = source.bool("acceptUnconfiguredSignals", settings.acceptUnconfiguredSignals());
    source.rejectUnknownKeys();
    if (decoder == DecoderKind.SPARKPLUG) {
      problems.add(
          source.path("decoder"),
          "Sparkplug machines are found by device id: use sparkplugDevice, not a topic");
    }
    if (topic.isPresent()) {
      boolean signalInTopic = topic.get().binds(Placeholder.SIGNAL);
      if ((decoder == DecoderKind.PLAIN || decoder == DecoderKind.JSON_VALUE) && !signalInTopic) {
        problems.add(
            source.path("decoder"),
            decoder.code()
                + " carries one value: give each signal its own topic, or use {signal} in the"
                + " machine's topic, or use json-batch");
      }
    }

    Map<String, SignalMapping> signals = new LinkedHashMap<>();
    Map<String, String> metrics = new HashMap<>();
    for (SignalSpec s : m.signals()) {
      ConfigNode o = s.optionsNode(problems);
      Optional<TopicTemplate> st = explicitTopic(o, "topic", false);
      DecoderKind sd = o.enumValue("decoder", DecoderKind.class, DecoderKind.JSON_VALUE);
      int sq = o.integer("qos", 1, 0, 2);
      Optional<JsonPointer> p = pointer(o, "pointer");
      Optional<JsonPointer> tp = pointer(o, "timestampPointer");
      Optional<String> metric = o.string("metric");
      o.rejectUnknownKeys();
      if (sd == DecoderKind.SPARKPLUG || sd == DecoderKind.JSON_BATCH) {
        problems.add(o.path("decoder"), "a signal's own topic carries json-value or plain");
      }
      if (o.has("decoder") && st.isEmpty()) {
        problems.add(o.path("decoder"), "decoder applies to the signal's own topic: add topic");
      }
      if (sd == DecoderKind.PLAIN && p.isPresent()) {
        problems.add(o.path("pointer"), "a plain payload has no JSON pointer");
      }
      metric.ifPresent(
          mt -> {
            String prev = metrics.putIfAbsent(mt, s.name());
            if (prev != null) {
              problems.add(o.path("metric"), "metric already mapped to signal " + prev, mt);
            }
          });
      signals.put(s.name(), new SignalMapping(s.name(), st, sd, sq, p, tp, metric));
    }
    return new MachineMapping(
        m.id(), m.ref(), topic, decoder, qos, tsPointer, device, node, accept, signals, metrics);
  }

  private static Optional<TopicTemplate> explicitTopic(
      ConfigNode node, String key, boolean signalAllowed) {
    Optional<String> text = node.string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<TopicTemplate> t =
        TopicTemplate.parse(
            text.get(), msg -> node.problems().add(node.path(key), msg, text.get()));
    if (t.isEmpty()) {
      return t;
    }
    for (Placeholder p : Placeholder.values()) {
      if (t.get().binds(p) && !(signalAllowed && p == Placeholder.SIGNAL)) {
        node.problems()
            .add(
                node.path(key),
                signalAllowed
                    ? "only {signal} may be used here (the machine is already known)"
                    : "no placeholders here (machine and signal are already known)",
                text.get());
        return Optional.empty();
      }
    }
    return t;
  }

  private static Optional<JsonPointer> pointer(ConfigNode node, String key) {
    Optional<String> text = node.string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonPointer.compile(text.get()));
    } catch (IllegalArgumentException e) {
      node.problems()
          .add(node.path(key), "not a JSON pointer (RFC 6901, e.g. /value or /data/temp)", text);
      return Optional.empty();
    }
  }

  /** Every filter to subscribe to: the templates and the machines' and signals' own topics. */
  public List<SubscriptionSettings> subscriptions() {
    return subscriptions;
  }

  public Optional<MachineMapping> machine(String id) {
    return Optional.ofNullable(machines.get(id));
  }

  /** Whether the topic is one of the Sparkplug subscriptions'. */
  public boolean isSparkplug(String topic) {
    for (TopicTemplate t : sparkplugTemplates) {
      if (t.match(topic).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** The machine a Sparkplug device (of an edge node) publishes for. */
  public Optional<MachineMapping> sparkplugMachine(String edgeNode, String device) {
    List<MachineMapping> candidates = sparkplugDevices.get(device);
    if (candidates == null) {
      return Optional.empty();
    }
    for (MachineMapping m : candidates) {
      if (m.sparkplugNode().isEmpty() || m.sparkplugNode().get().equals(edgeNode)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** Routes a non-Sparkplug topic: explicit topics first, then the templates in order. */
  public RouteResult route(String topic) {
    RouteResult.Found cached = routeCache.get(topic);
    if (cached != null) {
      return cached;
    }
    RouteResult r = routeAfresh(topic);
    // Only found routes are kept: refusals are rare, and their topics may be anything.
    if (r instanceof RouteResult.Found f && routeCache.size() < MAX_CACHED_ROUTES) {
      routeCache.putIfAbsent(topic, f);
    }
    return r;
  }

  /** How many topics have their route remembered (tests). */
  int cachedRoutes() {
    return routeCache.size();
  }

  private RouteResult routeAfresh(String topic) {
    Route exact = exactRoutes.get(topic);
    if (exact != null) {
      return new RouteResult.Found(exact);
    }
    for (FilterRoute f : filterRoutes) {
      Optional<Map<Placeholder, String>> b = f.template().match(topic);
      if (b.isPresent()) {
        Route r = f.route();
        String signal = b.get().get(Placeholder.SIGNAL);
        return new RouteResult.Found(
            signal == null ? r : withSignal(r, r.machine(), signal, r.decoder()));
      }
    }
    RouteResult.Refused firstRefusal = null;
    for (SubscriptionSettings s : templates) {
      Optional<Map<Placeholder, String>> b = s.template().match(topic);
      if (b.isEmpty()) {
        continue;
      }
      RouteResult r = fromTemplate(b.get(), s.decoder());
      if (r instanceof RouteResult.Found) {
        return r;
      }
      if (firstRefusal == null) {
        firstRefusal = (RouteResult.Refused) r;
      }
    }
    return firstRefusal != null
        ? firstRefusal
        : new RouteResult.Refused(RejectReason.UNKNOWN_TOPIC, "no subscription maps this topic");
  }

  private RouteResult fromTemplate(Map<Placeholder, String> b, DecoderKind decoder) {
    String id = b.get(Placeholder.MACHINE);
    MachineMapping m = machines.get(id);
    if (m == null) {
      return new RouteResult.Refused(RejectReason.UNKNOWN_MACHINE, "no machine '" + id + "'");
    }
    if (!levelMatches(b, Placeholder.SITE, m.ref().site())
        || !levelMatches(b, Placeholder.AREA, m.ref().area())
        || !levelMatches(b, Placeholder.LINE, m.ref().line())) {
      return new RouteResult.Refused(
          RejectReason.UNKNOWN_MACHINE,
          "topic places machine '" + id + "' elsewhere than its path " + m.ref().path());
    }
    String signal = b.get(Placeholder.SIGNAL);
    if (signal == null) {
      return new RouteResult.Found(
          new Route(m, Optional.empty(), decoder, Optional.empty(), m.timestampPointer()));
    }
    return new RouteResult.Found(
        withSignal(
            new Route(m, Optional.empty(), decoder, Optional.empty(), m.timestampPointer()),
            m,
            signal,
            decoder));
  }

  private static Route withSignal(Route base, MachineMapping m, String found, DecoderKind d) {
    // The topic level is the signal as found; the decoder resolves it (configured or not) so
    // that an unknown signal is counted like any other bad value.
    SignalMapping configured = m.signals().get(found);
    Optional<JsonPointer> pointer =
        configured != null && configured.pointer().isPresent()
            ? configured.pointer()
            : base.pointer();
    Optional<JsonPointer> ts =
        configured != null && configured.timestampPointer().isPresent()
            ? configured.timestampPointer()
            : base.timestampPointer();
    return new Route(m, Optional.of(found), d, pointer, ts);
  }

  private static boolean levelMatches(Map<Placeholder, String> b, Placeholder p, String expected) {
    String v = b.get(p);
    return v == null || v.equals(expected);
  }
}
