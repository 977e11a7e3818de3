package io.atelier.connector.opcua.discovery;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * Walks a server's address space from the Objects folder, breadth first, one level at a time: the
 * nodes of a level go out in Browse requests of at most the server's MaxNodesPerBrowse (and {@link
 * #DEFAULT_BATCH}), continuation points are followed with BrowseNext. Then the variables' data
 * types and descriptions are read in batches too.
 *
 * <p>Grouping: folders (FolderType) are only containers; the first non-folder object on a path is a
 * machine and every variable beneath it belongs to it (nested objects such as {@code Monitoring}
 * are part of the variable's relative path). Variables sitting directly in a folder make that
 * folder a machine. Properties ({@code HasProperty}) and the standard nodes of namespace 0 (the
 * Server object) are skipped, and variables are not browsed into.
 *
 * <p>Blocking: call it on a worker thread, never on an event loop.
 */
public final class AddressSpaceWalker {

  /** Nodes per Browse or Read request when the server states no lower limit. */
  public static final int DEFAULT_BATCH = 500;

  /** Hard bound on the nodes one discovery looks at, so a huge server cannot exhaust memory. */
  public static final int MAX_NODES = 100_000;

  private final OpcUaClient client;
  private final int maxDepth;
  private final int batch;
  private NamespaceTable namespaces;
  private int browseCalls;
  private int visited;
  private boolean truncated;

  /**
   * @param client a connected client
   * @param maxDepth levels below the Objects folder to browse (1 = its direct children only)
   * @param batch nodes per request; the server's operation limits lower it further
   */
  public AddressSpaceWalker(OpcUaClient client, int maxDepth, int batch) {
    if (maxDepth < 1 || batch < 1) {
      throw new IllegalArgumentException("maxDepth and batch must be at least 1");
    }
    this.client = client;
    this.maxDepth = maxDepth;
    this.batch = batch;
  }

  /** A node waiting to be browsed: where it is and which machine (if any) it belongs to. */
  private record Pending(NodeId node, List<String> path, int depth, MachineBuilder machine) {}

  private static final class MachineBuilder {
    final String browseName;
    final String browsePath;
    final int pathLength;
    final List<PendingVariable> variables = new ArrayList<>();

    MachineBuilder(String browseName, List<String> path) {
      this.browseName = browseName;
      this.browsePath = String.join("/", path);
      this.pathLength = path.size();
    }
  }

  private record PendingVariable(NodeId node, List<String> relativePath) {}

  public AddressSpace walk() throws UaException {
    namespaces = client.readNamespaceTable();
    int browseBatch = limit(limits().flatMap(l -> l.maxNodesPerBrowse().map(u -> u.intValue())));
    int readBatch = limit(limits().flatMap(l -> l.maxNodesPerRead().map(u -> u.intValue())));
    Map<NodeId, MachineBuilder> machines = new LinkedHashMap<>();
    Set<NodeId> seen = new HashSet<>();
    seen.add(NodeIds.ObjectsFolder);
    List<Pending> level = List.of(new Pending(NodeIds.ObjectsFolder, List.of("Objects"), 0, null));
    while (!level.isEmpty()) {
      List<Pending> next = new ArrayList<>();
      for (int from = 0; from < level.size(); from += browseBatch) {
        List<Pending> chunk = level.subList(from, Math.min(level.size(), from + browseBatch));
        List<List<ReferenceDescription>> refs = browse(chunk);
        for (int i = 0; i < chunk.size(); i++) {
          for (ReferenceDescription ref : refs.get(i)) {
            follow(chunk.get(i), ref, seen, machines, next);
          }
        }
      }
      level = next;
    }
    return new AddressSpace(build(machines.values(), readBatch), browseCalls, visited, truncated);
  }

  private void follow(
      Pending parent,
      ReferenceDescription ref,
      Set<NodeId> seen,
      Map<NodeId, MachineBuilder> machines,
      List<Pending> next) {
    if (NodeIds.HasProperty.equals(ref.getReferenceTypeId())) {
      return;
    }
    Optional<NodeId> target = ref.getNodeId().toNodeId(namespaces);
    if (target.isEmpty() || target.get().getNamespaceIndex().intValue() == 0) {
      return;
    }
    NodeId node = target.get();
    if (!seen.add(node)) {
      return;
    }
    if (++visited > MAX_NODES) {
      truncated = true;
      return;
    }
    String name = browseName(ref.getBrowseName(), ref.getDisplayName());
    List<String> path = append(parent.path(), name);
    if (ref.getNodeClass() == NodeClass.Variable) {
      MachineBuilder owner = parent.machine();
      if (owner == null) {
        // A variable directly in a folder: the folder is the machine.
        owner =
            machines.computeIfAbsent(
                parent.node(),
                k ->
                    new MachineBuilder(parent.path().get(parent.path().size() - 1), parent.path()));
      }
      owner.variables.add(new PendingVariable(node, path.subList(owner.pathLength, path.size())));
    } else if (ref.getNodeClass() == NodeClass.Object) {
      MachineBuilder owner = parent.machine();
      if (owner == null && !isFolder(ref.getTypeDefinition())) {
        owner = machines.computeIfAbsent(node, k -> new MachineBuilder(name, path));
      }
      if (parent.depth() + 1 >= maxDepth) {
        truncated = true;
      } else {
        next.add(new Pending(node, path, parent.depth() + 1, owner));
      }
    }
  }

  private List<List<ReferenceDescription>> browse(List<Pending> chunk) throws UaException {
    List<BrowseDescription> descriptions = new ArrayList<>();
    for (Pending p : chunk) {
      descriptions.add(
          new BrowseDescription(
              p.node(),
              BrowseDirection.Forward,
              NodeIds.HierarchicalReferences,
              true,
              uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
              uint(BrowseResultMask.All.getValue())));
    }
    browseCalls++;
    List<BrowseResult> results = client.browse(descriptions);
    List<List<ReferenceDescription>> out = new ArrayList<>();
    for (BrowseResult result : results) {
      List<ReferenceDescription> refs = new ArrayList<>();
      BrowseResult current = result;
      while (current != null && current.getStatusCode().isGood()) {
        if (current.getReferences() != null) {
          refs.addAll(List.of(current.getReferences()));
        }
        ByteString cp = current.getContinuationPoint();
        if (cp == null || cp.isNullOrEmpty()) {
          break;
        }
        browseCalls++;
        BrowseResult[] more = client.browseNext(false, List.of(cp)).getResults();
        current = more == null || more.length == 0 ? null : more[0];
      }
      out.add(refs);
    }
    return out;
  }

  private List<AddressSpace.Machine> build(Iterable<MachineBuilder> builders, int readBatch)
      throws UaException {
    List<PendingVariable> all = new ArrayList<>();
    builders.forEach(b -> all.addAll(b.variables));
    Map<NodeId, String[]> attributes = readAttributes(all, readBatch);
    Map<NodeId, String> typeNames = dataTypeNames(attributes.values(), readBatch);
    List<AddressSpace.Machine> out = new ArrayList<>();
    for (MachineBuilder b : builders) {
      if (b.variables.isEmpty()) {
        continue; // an object without variables (within the depth bound) is no machine
      }
      List<AddressSpace.Variable> variables = new ArrayList<>();
      for (PendingVariable v : b.variables) {
        String[] attr = attributes.getOrDefault(v.node(), new String[] {"", ""});
        String type =
            attr[0].isEmpty() ? "" : typeNames.getOrDefault(NodeId.parse(attr[0]), attr[0]);
        variables.add(
            new AddressSpace.Variable(v.relativePath(), nsuForm(v.node()), type, attr[1]));
      }
      out.add(new AddressSpace.Machine(b.browseName, b.browsePath, variables));
    }
    return out;
  }

  /** DataType (as a parseable node id) and Description of every variable. */
  private Map<NodeId, String[]> readAttributes(List<PendingVariable> variables, int readBatch)
      throws UaException {
    Map<NodeId, String[]> out = new LinkedHashMap<>();
    int perCall = Math.max(1, readBatch / 2);
    for (int from = 0; from < variables.size(); from += perCall) {
      List<PendingVariable> chunk =
          variables.subList(from, Math.min(variables.size(), from + perCall));
      List<ReadValueId> ids = new ArrayList<>();
      for (PendingVariable v : chunk) {
        ids.add(
            new ReadValueId(v.node(), AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE));
        ids.add(
            new ReadValueId(
                v.node(), AttributeId.Description.uid(), null, QualifiedName.NULL_VALUE));
      }
      DataValue[] values = client.read(0.0, TimestampsToReturn.Neither, ids).getResults();
      for (int i = 0; i < chunk.size(); i++) {
        Object type = values[2 * i].value().value();
        Object description = values[2 * i + 1].value().value();
        out.put(
            chunk.get(i).node(),
            new String[] {
              type instanceof NodeId id ? id.toParseableString() : "",
              description instanceof LocalizedText t && t.text() != null ? t.text() : ""
            });
      }
    }
    return out;
  }

  /** The browse names of the data types used (Double, Int64, a server's own structure name). */
  private Map<NodeId, String> dataTypeNames(Iterable<String[]> attributes, int readBatch)
      throws UaException {
    List<NodeId> types = new ArrayList<>();
    Set<String> distinct = new HashSet<>();
    for (String[] a : attributes) {
      if (!a[0].isEmpty() && distinct.add(a[0])) {
        types.add(NodeId.parse(a[0]));
      }
    }
    Map<NodeId, String> out = new LinkedHashMap<>();
    for (int from = 0; from < types.size(); from += readBatch) {
      List<NodeId> chunk = types.subList(from, Math.min(types.size(), from + readBatch));
      List<ReadValueId> ids =
          chunk.stream()
              .map(
                  t ->
                      new ReadValueId(
                          t, AttributeId.BrowseName.uid(), null, QualifiedName.NULL_VALUE))
              .toList();
      DataValue[] values = client.read(0.0, TimestampsToReturn.Neither, ids).getResults();
      for (int i = 0; i < chunk.size(); i++) {
        if (values[i].value().value() instanceof QualifiedName q && q.name() != null) {
          out.put(chunk.get(i), q.name());
        }
      }
    }
    return out;
  }

  /** {@code nsu=<uri>;s=...}: survives a server that renumbers its namespaces. */
  String nsuForm(NodeId node) {
    String text = node.toParseableString();
    int ns = node.getNamespaceIndex().intValue();
    if (ns == 0) {
      return text;
    }
    String uri = namespaces.get(node.getNamespaceIndex());
    String identifier = text.startsWith("ns=") ? text.substring(text.indexOf(';') + 1) : text;
    return uri == null ? text : "nsu=" + uri + ";" + identifier;
  }

  private boolean isFolder(ExpandedNodeId typeDefinition) {
    return typeDefinition != null
        && typeDefinition.toNodeId(namespaces).map(NodeIds.FolderType::equals).orElse(false);
  }

  private Optional<org.eclipse.milo.opcua.sdk.client.OperationLimits> limits() {
    try {
      return Optional.of(client.getOperationLimits());
    } catch (UaException e) {
      return Optional.empty();
    }
  }

  private int limit(Optional<Integer> serverLimit) {
    int b = Math.min(batch, DEFAULT_BATCH);
    return serverLimit.filter(l -> l > 0).map(l -> Math.min(l, b)).orElse(b);
  }

  private static String browseName(QualifiedName browseName, LocalizedText displayName) {
    if (browseName != null && browseName.name() != null && !browseName.name().isBlank()) {
      return browseName.name();
    }
    return displayName != null && displayName.text() != null ? displayName.text() : "node";
  }

  private static List<String> append(List<String> path, String name) {
    List<String> out = new ArrayList<>(path);
    out.add(name);
    return List.copyOf(out);
  }
}
