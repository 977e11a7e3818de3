package io.atelier.connector.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A member's retained presence on {@code <takeover.topic>/<clientId>}, e.g. {@code
 * {"state":"online","clientId":"gw-a","groups":["gateways"],"since":1718000000000}}. The {@code
 * offline} state is the member's MQTT will (published by the broker after the will delay); {@code
 * adopted} says which member holds the session now ({@code by}); {@code stopped} is a planned stop.
 * An empty retained payload (the retained message cleared) reads as {@link State#CLEARED}.
 *
 * @param since epoch milliseconds when the connection that wrote it was made (0 when unknown)
 */
record Presence(State state, String clientId, Set<String> groups, Optional<String> by, long since) {

  enum State {
    ONLINE,
    OFFLINE,
    ADOPTED,
    STOPPED,
    CLEARED;

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Presence documents are tiny; anything bigger is not ours. */
  static final int MAX_BYTES = 4096;

  static final int MAX_GROUPS = 64;

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).build())
              .build());

  Presence {
    groups = Set.copyOf(groups);
  }

  /** A payload that is not a presence document; the caller counts and ignores it. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  boolean sharesGroupWith(Set<String> ours) {
    for (String g : groups) {
      if (ours.contains(g)) {
        return true;
      }
    }
    return false;
  }

  byte[] toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("state", state.code());
    o.put("clientId", clientId);
    ArrayNode g = o.putArray("groups");
    new TreeSet<>(groups).forEach(g::add);
    by.ifPresent(b -> o.put("by", b));
    o.put("since", since);
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write presence JSON", e);
    }
  }

  /**
   * Reads the presence of {@code topicClientId} (the last level of its topic).
   *
   * @throws Invalid for anything that is not a presence document about that client id
   */
  static Presence parse(String topicClientId, byte[] payload) throws Invalid {
    if (payload.length == 0) {
      return new Presence(State.CLEARED, topicClientId, Set.of(), Optional.empty(), 0);
    }
    if (payload.length > MAX_BYTES) {
      throw new Invalid(payload.length + " bytes, more than " + MAX_BYTES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (IOException | RuntimeException e) {
      throw new Invalid("not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new Invalid("not a JSON object");
    }
    JsonNode stateNode = root.get("state");
    if (stateNode == null || !stateNode.isTextual()) {
      throw new Invalid("no text field 'state'");
    }
    State state;
    try {
      state = State.valueOf(stateNode.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Invalid("unknown state '" + shorten(stateNode.asText()) + "'");
    }
    if (state == State.CLEARED) {
      throw new Invalid("'cleared' is not a state one publishes");
    }
    JsonNode idNode = root.get("clientId");
    if (idNode != null && !(idNode.isTextual() && idNode.asText().equals(topicClientId))) {
      throw new Invalid("clientId does not match the topic");
    }
    Set<String> groups = new TreeSet<>();
    JsonNode groupsNode = root.get("groups");
    if (groupsNode != null) {
      if (!groupsNode.isArray() || groupsNode.size() > MAX_GROUPS) {
        throw new Invalid("'groups' is not an array of at most " + MAX_GROUPS + " names");
      }
      for (JsonNode g : groupsNode) {
        if (!g.isTextual() || g.asText().isEmpty()) {
          throw new Invalid("'groups' holds something that is not a group name");
        }
        groups.add(g.asText());
      }
    }
    Optional<String> by = Optional.empty();
    JsonNode byNode = root.get("by");
    if (byNode != null) {
      if (!byNode.isTextual() || byNode.asText().isEmpty()) {
        throw new Invalid("'by' is not a client id");
      }
      by = Optional.of(byNode.asText());
    }
    if (state == State.ADOPTED && by.isEmpty()) {
      throw new Invalid("'adopted' without 'by'");
    }
    JsonNode sinceNode = root.get("since");
    long since = 0;
    if (sinceNode != null) {
      if (!sinceNode.canConvertToLong() || !sinceNode.isIntegralNumber()) {
        throw new Invalid("'since' is not epoch milliseconds");
      }
      since = sinceNode.asLong();
    }
    return new Presence(state, topicClientId, groups, by, since);
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  @Override
  public String toString() {
    return new String(toJson(), StandardCharsets.UTF_8);
  }
}
