package io.atelier.connector.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.client.BrowseHelper;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * Turns configured {@link NodeRef}s into NodeIds for the session at hand: {@code nsu=} URIs through
 * the server's namespace table, browse paths by browsing from their start node. Used once per
 * (re)connect with a fresh namespace table, because a restarted server may have renumbered its
 * namespaces. Blocking: run on a worker.
 */
final class NodeResolver {

  /** A NodeId, or why there is none. */
  record Resolution(Optional<NodeId> nodeId, Optional<String> error) {
    static Resolution of(NodeId id) {
      return new Resolution(Optional.of(id), Optional.empty());
    }

    static Resolution failed(String error) {
      return new Resolution(Optional.empty(), Optional.of(error));
    }
  }

  private final OpcUaClient client;
  private final NamespaceTable namespaces;
  private final Duration timeout;
  private final Map<NodeId, List<ReferenceDescription>> children = new HashMap<>();

  private NodeResolver(OpcUaClient client, NamespaceTable namespaces, Duration timeout) {
    this.client = client;
    this.namespaces = namespaces;
    this.timeout = timeout;
  }

  /** Reads the server's namespace table now and returns a resolver using it. */
  static NodeResolver forSession(OpcUaClient client, Duration timeout) throws UaException {
    return new NodeResolver(client, client.readNamespaceTable(), timeout);
  }

  /** A resolver that uses the namespace table the client already holds (no request). */
  static NodeResolver withCachedNamespaces(OpcUaClient client, Duration timeout) {
    return new NodeResolver(client, client.getNamespaceTable(), timeout);
  }

  Resolution resolve(NodeRef ref) {
    if (ref instanceof NodeRef.Indexed indexed) {
      return Resolution.of(indexed.nodeId());
    }
    if (ref instanceof NodeRef.Expanded expanded) {
      UShort index = namespaces.getIndex(expanded.namespaceUri());
      if (index == null) {
        return Resolution.failed(
            "the server has no namespace " + expanded.namespaceUri() + " (Bad_NodeIdUnknown)");
      }
      return Resolution.of(expanded.withIndex(index));
    }
    return browse((NodeRef.BrowsePath) ref);
  }

  private Resolution browse(NodeRef.BrowsePath path) {
    NodeId current = path.start();
    StringBuilder walked = new StringBuilder(startName(path.start()));
    for (NodeRef.Segment segment : path.segments()) {
      List<ReferenceDescription> refs;
      try {
        refs = childrenOf(current);
      } catch (UaException e) {
        return Resolution.failed(
            "browsing " + walked + " failed: " + ValueMapper.statusName(e.getStatusCode()));
      }
      Optional<NodeId> next = Optional.empty();
      for (ReferenceDescription r : refs) {
        if (segment.matches(
            r.getBrowseName().namespaceIndex().intValue(), r.getBrowseName().name())) {
          next = r.getNodeId().toNodeId(namespaces);
          if (next.isPresent()) {
            break;
          }
        }
      }
      if (next.isEmpty()) {
        return Resolution.failed(
            "browse path "
                + path.text()
                + ": no node '"
                + segment.name()
                + "' below "
                + walked
                + " (Bad_NoMatch)");
      }
      current = next.get();
      walked.append('/').append(segment.name());
    }
    return Resolution.of(current);
  }

  private List<ReferenceDescription> childrenOf(NodeId node) throws UaException {
    List<ReferenceDescription> cached = children.get(node);
    if (cached != null) {
      return cached;
    }
    BrowseDescription description =
        new BrowseDescription(
            node,
            BrowseDirection.Forward,
            NodeIds.HierarchicalReferences,
            true,
            uint(0),
            uint(BrowseResultMask.All.getValue()));
    try {
      List<ReferenceDescription> refs =
          BrowseHelper.browse(client, description, uint(0))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      children.put(node, refs);
      return refs;
    } catch (ExecutionException e) {
      throw UaException.extract(e).orElse(new UaException(e.getCause()));
    } catch (TimeoutException e) {
      throw new UaException(
          org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_Timeout, "browse timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UaException(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_Shutdown, e);
    }
  }

  private static String startName(NodeId start) {
    if (start.equals(NodeIds.RootFolder)) {
      return "Root";
    }
    if (start.equals(NodeIds.TypesFolder)) {
      return "Types";
    }
    if (start.equals(NodeIds.ViewsFolder)) {
      return "Views";
    }
    return "Objects";
  }
}
