package io.atelier.connector.mqtt;

import com.fasterxml.jackson.core.JsonPointer;
import io.atelier.connector.api.MachineRef;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How one configured machine is found in MQTT messages: by a topic template binding its id, by an
 * explicit topic of its own, or by its Sparkplug device id.
 *
 * @param id the machine id
 * @param ref its ISA-95 path
 * @param topic its own topic (a batch of signals), when configured
 * @param decoder the decoder for its own topic
 * @param qos the QoS for its own topic
 * @param timestampPointer where the timestamp sits in its JSON payloads, when not /ts
 * @param sparkplugDevice the Sparkplug device id that publishes for it (default: the machine id)
 * @param sparkplugNode restricts the Sparkplug mapping to one edge node, when given
 * @param acceptUnconfiguredSignals take signals the machine does not list
 * @param signals configured signals by name
 * @param metricToSignal Sparkplug metric name to signal name, for signals with a {@code metric}
 */
public record MachineMapping(
    String id,
    MachineRef ref,
    Optional<TopicTemplate> topic,
    DecoderKind decoder,
    int qos,
    Optional<JsonPointer> timestampPointer,
    String sparkplugDevice,
    Optional<String> sparkplugNode,
    boolean acceptUnconfiguredSignals,
    Map<String, SignalMapping> signals,
    Map<String, String> metricToSignal) {

  /** Lower snake case, as every signal name in Atelier; also keeps hostile names out of tags. */
  private static final Pattern SIGNAL_NAME = Pattern.compile("[a-z0-9][a-z0-9_]{0,63}");

  public MachineMapping {
    signals = Map.copyOf(signals);
    metricToSignal = Map.copyOf(metricToSignal);
  }

  /** Whether a name found in a payload or topic may become a signal name. */
  public static boolean isValidSignalName(String name) {
    return SIGNAL_NAME.matcher(name).matches();
  }

  /**
   * Resolves a signal name found in a message (topic level, batch key) to the signal to emit.
   *
   * @return the signal, or the reason it is refused
   */
  public Resolution resolve(String found) {
    if (signals.containsKey(found)) {
      return new Resolution(found, null);
    }
    if (!acceptUnconfiguredSignals) {
      return new Resolution(null, RejectReason.UNKNOWN_SIGNAL);
    }
    if (!isValidSignalName(found)) {
      return new Resolution(null, RejectReason.INVALID_SIGNAL_NAME);
    }
    return new Resolution(found, null);
  }

  /** Resolves a Sparkplug metric name: a configured {@code metric:} first, then as a signal. */
  public Resolution resolveMetric(String metric) {
    String signal = metricToSignal.get(metric);
    return signal != null ? new Resolution(signal, null) : resolve(metric);
  }

  /** A signal name, or the reason there is none. Exactly one of the two is non-null. */
  public record Resolution(String signal, RejectReason reason) {
    public boolean ok() {
      return signal != null;
    }
  }
}
