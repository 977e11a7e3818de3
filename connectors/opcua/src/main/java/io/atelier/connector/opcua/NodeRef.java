package io.atelier.connector.opcua;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * How a signal names its node, as configured. Only {@link Indexed} is a NodeId right away; the
 * other two forms depend on the server's namespace table or address space and are resolved again
 * after every connect, because a restarted server may number its namespaces differently.
 */
public sealed interface NodeRef {

  /** The text as the engineer wrote it, for messages. */
  String text();

  /**
   * {@code nsu=<namespace uri>;s=...} (preferred): stable across server restarts.
   *
   * @param namespaceUri the namespace URI
   * @param identifier the identifier part in NodeId syntax, e.g. {@code s=Machines/cnc-01/State} or
   *     {@code i=1001}
   * @param text the configured text
   */
  record Expanded(String namespaceUri, String identifier, String text) implements NodeRef {
    public Expanded {
      Objects.requireNonNull(namespaceUri, "namespaceUri");
      Objects.requireNonNull(identifier, "identifier");
      Objects.requireNonNull(text, "text");
    }

    /** The NodeId once the server said which index the namespace has. */
    public NodeId withIndex(UShort namespaceIndex) {
      return NodeId.parse("ns=" + namespaceIndex + ";" + identifier);
    }
  }

  /** {@code ns=<index>;...} or {@code i=...} (namespace 0): used as given. */
  record Indexed(NodeId nodeId, String text) implements NodeRef {
    public Indexed {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A browse path such as {@code Objects/Machines/cnc-01/Monitoring/Spindle/Speed}, followed
   * through the server's hierarchical references from {@code start}.
   *
   * @param start the well-known node the path starts at (Objects folder unless the path starts with
   *     Root, Types or Views)
   * @param segments the browse names to follow
   * @param text the configured text
   */
  record BrowsePath(NodeId start, List<Segment> segments, String text) implements NodeRef {
    public BrowsePath {
      Objects.requireNonNull(start, "start");
      segments = List.copyOf(segments);
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * One step of a browse path: a browse name, optionally pinned to a namespace index ({@code
   * 2:Speed}). Without an index the name matches in any namespace, which is what engineers mean
   * when they copy a path from a browser's tree.
   */
  record Segment(Optional<Integer> namespaceIndex, String name) {
    public Segment {
      Objects.requireNonNull(namespaceIndex, "namespaceIndex");
      Objects.requireNonNull(name, "name");
    }

    public boolean matches(int index, String browseName) {
      return name.equals(browseName) && namespaceIndex.map(i -> i == index).orElse(true);
    }
  }
}
