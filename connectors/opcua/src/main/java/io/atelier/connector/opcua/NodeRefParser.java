package io.atelier.connector.opcua;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * Parses the two ways a signal names its node: {@code node:} (a NodeId in text form) and {@code
 * path:} (a browse path). Every failure is an {@link IllegalArgumentException} whose message says
 * what was expected, for the configuration problem report.
 */
public final class NodeRefParser {

  static final String NODE_SYNTAX =
      "expected nsu=<namespace uri>;s=<id> (preferred), ns=<index>;s=<id> or i=<number>"
          + " (identifier types s=, i=, g=, b=)";

  private static final Pattern NSU =
      Pattern.compile("nsu=([^;]+);((?:s|i|g|b)=.*)", Pattern.DOTALL);
  private static final Pattern NS = Pattern.compile("ns=(\\d+);((?:s|i|g|b)=.*)", Pattern.DOTALL);
  private static final Pattern BARE = Pattern.compile("(?:s|i|g|b)=.*", Pattern.DOTALL);
  private static final Pattern INDEXED_SEGMENT = Pattern.compile("(\\d+):(.+)", Pattern.DOTALL);

  /** Where a browse path may start; any other first segment is looked up below Objects. */
  private static final Map<String, NodeId> ROOTS =
      Map.of(
          "Objects", NodeIds.ObjectsFolder,
          "Types", NodeIds.TypesFolder,
          "Views", NodeIds.ViewsFolder);

  private NodeRefParser() {}

  /** Parses a {@code node:} value. */
  public static NodeRef parseNode(String text) {
    String t = text.trim();
    Matcher nsu = NSU.matcher(t);
    if (nsu.matches()) {
      String uri = nsu.group(1).trim();
      String identifier = nsu.group(2);
      checkIdentifier(identifier, t);
      return new NodeRef.Expanded(uri, identifier, t);
    }
    Matcher ns = NS.matcher(t);
    if (ns.matches()) {
      int index;
      try {
        index = Integer.parseInt(ns.group(1));
      } catch (NumberFormatException e) {
        index = -1;
      }
      if (index < 0 || index > 65535) {
        throw new IllegalArgumentException("namespace index must be between 0 and 65535");
      }
      return new NodeRef.Indexed(checkIdentifier(ns.group(2), t, index), t);
    }
    if (BARE.matcher(t).matches()) {
      return new NodeRef.Indexed(checkIdentifier(t, t, 0), t);
    }
    throw new IllegalArgumentException(NODE_SYNTAX);
  }

  /** Parses a {@code path:} value such as {@code Objects/Machines/cnc-01/Spindle/Speed}. */
  public static NodeRef parsePath(String text) {
    String t = text.trim();
    String body = t.startsWith("/") ? t.substring(1) : t;
    if (body.isEmpty()) {
      throw new IllegalArgumentException("browse path is empty");
    }
    String[] parts = body.split("/", -1);
    List<NodeRef.Segment> segments = new ArrayList<>();
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("browse path has an empty segment (two '/' in a row?)");
      }
      Matcher m = INDEXED_SEGMENT.matcher(part);
      if (m.matches() && m.group(1).length() <= 5) {
        int index = Integer.parseInt(m.group(1));
        if (index > 65535) {
          throw new IllegalArgumentException("namespace index must be between 0 and 65535");
        }
        segments.add(new NodeRef.Segment(Optional.of(index), m.group(2)));
      } else {
        segments.add(new NodeRef.Segment(Optional.empty(), part));
      }
    }
    NodeId start = NodeIds.ObjectsFolder;
    String first = segments.get(0).name();
    if (segments.get(0).namespaceIndex().isEmpty()) {
      if (first.equals("Root")) {
        start = NodeIds.RootFolder;
        segments.remove(0);
      } else if (ROOTS.containsKey(first)) {
        start = ROOTS.get(first);
        segments.remove(0);
      }
    }
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("browse path must name a node below '" + first + "'");
    }
    return new NodeRef.BrowsePath(start, segments, t);
  }

  private static void checkIdentifier(String identifier, String text) {
    checkIdentifier(identifier, text, 0);
  }

  private static NodeId checkIdentifier(String identifier, String text, int index) {
    if (identifier.length() <= 2) {
      throw new IllegalArgumentException("node identifier is empty in '" + text + "'");
    }
    Optional<NodeId> id = NodeId.parseSafe("ns=" + index + ";" + identifier);
    if (id.isEmpty()) {
      String kind =
          switch (identifier.charAt(0)) {
            case 'i' -> "a numeric identifier (i=) must be a whole number";
            case 'g' ->
                "a GUID identifier (g=) must look like 09087e75-8e5e-499b-954f-f2a9603db28a";
            case 'b' -> "an opaque identifier (b=) must be base64";
            default -> NODE_SYNTAX;
          };
      throw new IllegalArgumentException(kind);
    }
    return id.get();
  }
}
