package io.atelier.simulator.opcua;

import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.AbstractLifecycle;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated machines as an OPC UA address space: {@code Objects/Machines/<id>/<browse path>}
 * with string node ids {@code <id>/<browse path>} in {@code urn:atelier:simulator}, so that node
 * ids depend only on the machine definitions and never on start order. Values come from the {@link
 * SignalBoard}; Milo's {@link SubscriptionModel} samples them for monitored items.
 */
final class MachinesNamespace extends ManagedNamespaceWithLifecycle {

  static final String NAMESPACE_URI = "urn:atelier:simulator";

  /** Node id (and browse name) of the folder under Objects. */
  static final String MACHINES_FOLDER = "Machines";

  /** The protocol value of {@link MachineInfo#protocol()} this server serves. */
  static final String PROTOCOL = "opcua";

  private static final Logger LOG = LoggerFactory.getLogger(MachinesNamespace.class);

  private final SignalBoard board;
  private final double minSamplingIntervalMs;
  private final SubscriptionModel subscriptionModel;
  private final Map<String, UaVariableNode> variables = new HashMap<>();
  private final AtomicLong rejectedValues = new AtomicLong();
  private final SignalBoard.Listener boardListener = this::onBoardChange;

  MachinesNamespace(OpcUaServer server, SignalBoard board, double minSamplingIntervalMs) {
    super(server, NAMESPACE_URI);
    this.board = board;
    this.minSamplingIntervalMs = minSamplingIntervalMs;
    this.subscriptionModel = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptionModel);
    getLifecycleManager().addStartupTask(this::createNodes);
    getLifecycleManager()
        .addLifecycle(
            new AbstractLifecycle() {
              @Override
              protected void onStartup() {
                board.addListener(boardListener);
                // Catch up on changes made between building the nodes and listening.
                for (MachineInfo m : servedMachines()) {
                  for (SignalDef s : m.signals()) {
                    board.get(m.id(), s.name()).ifPresent(v -> publish(m, s, v.value(), v.time()));
                  }
                }
              }

              @Override
              protected void onShutdown() {
                board.removeListener(boardListener);
              }
            });
  }

  /** The stable string node id of a signal: {@code <machineId>/<browsePath>}. */
  static String nodeIdOf(String machineId, SignalDef signal) {
    return machineId + "/" + signal.browsePath();
  }

  /** Board values that did not fit the signal's declared type (published as Bad_TypeMismatch). */
  long rejectedValues() {
    return rejectedValues.get();
  }

  private List<MachineInfo> servedMachines() {
    return board.machines().stream().filter(m -> PROTOCOL.equals(m.protocol())).toList();
  }

  private void createNodes() {
    UaFolderNode machines =
        new UaFolderNode(
            getNodeContext(),
            newNodeId(MACHINES_FOLDER),
            newQualifiedName(MACHINES_FOLDER),
            LocalizedText.english(MACHINES_FOLDER));
    getNodeManager().addNode(machines);
    machines.addReference(
        new Reference(
            machines.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));

    for (MachineInfo machine : servedMachines()) {
      UaObjectNode machineNode = newObject(machine.id(), machine.id());
      machines.addOrganizes(machineNode);
      Map<String, UaNode> parents = new HashMap<>();
      for (SignalDef signal : machine.signals()) {
        String[] levels = signal.browsePath().split("/");
        UaNode parent = machineNode;
        StringBuilder path = new StringBuilder(machine.id());
        for (int i = 0; i < levels.length - 1; i++) {
          path.append('/').append(levels[i]);
          String id = path.toString();
          UaNode existing = parents.get(id);
          if (existing == null) {
            existing = newObject(id, levels[i]);
            addComponent(parent, existing);
            parents.put(id, existing);
          }
          parent = existing;
        }
        UaVariableNode variable = newVariable(machine, signal, levels[levels.length - 1]);
        addComponent(parent, variable);
        parents.put(variable.getNodeId().getIdentifier().toString(), variable);
      }
    }
    LOG.info(
        "OPC UA address space: {} machines, {} signals in {}",
        servedMachines().size(),
        variables.size(),
        NAMESPACE_URI);
  }

  private UaObjectNode newObject(String id, String name) {
    NodeId nodeId = newNodeId(id);
    if (getNodeManager().containsNode(nodeId)) {
      throw new IllegalArgumentException("duplicate OPC UA node " + id);
    }
    return new UaObjectNode.UaObjectNodeBuilder(getNodeContext())
        .setNodeId(nodeId)
        .setBrowseName(newQualifiedName(name))
        .setDisplayName(LocalizedText.english(name))
        .buildAndAdd();
  }

  private UaVariableNode newVariable(MachineInfo machine, SignalDef signal, String name) {
    String id = nodeIdOf(machine.id(), signal);
    NodeId nodeId = newNodeId(id);
    if (getNodeManager().containsNode(nodeId)) {
      throw new IllegalArgumentException(
          "two signals of " + machine.id() + " share the browse path " + signal.browsePath());
    }
    UaVariableNode node =
        new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
            .setNodeId(nodeId)
            .setBrowseName(newQualifiedName(name))
            .setDisplayName(LocalizedText.english(name))
            .setDescription(
                LocalizedText.english(
                    signal.name() + (signal.unit().isEmpty() ? "" : " [" + signal.unit() + "]")))
            .setDataType(dataTypeOf(signal.type()))
            .setTypeDefinition(NodeIds.BaseDataVariableType)
            .setAccessLevel(AccessLevel.READ_ONLY)
            .setUserAccessLevel(AccessLevel.READ_ONLY)
            .setMinimumSamplingInterval(minSamplingIntervalMs)
            .build();
    board
        .get(machine.id(), signal.name())
        .ifPresent(v -> node.setValue(toDataValue(machine, signal, v.value(), v.time())));
    getNodeManager().addNode(node);
    variables.put(key(machine.id(), signal.name()), node);
    return node;
  }

  private static void addComponent(UaNode parent, UaNode child) {
    parent.addReference(
        new Reference(
            parent.getNodeId(), NodeIds.HasComponent, child.getNodeId().expanded(), true));
  }

  private void onBoardChange(MachineInfo machine, SignalDef signal, Object value, Instant time) {
    if (PROTOCOL.equals(machine.protocol())) {
      publish(machine, signal, value, time);
    }
  }

  private void publish(MachineInfo machine, SignalDef signal, Object value, Instant time) {
    UaVariableNode node = variables.get(key(machine.id(), signal.name()));
    if (node != null) {
      node.setValue(toDataValue(machine, signal, value, time));
    }
  }

  private DataValue toDataValue(MachineInfo machine, SignalDef signal, Object value, Instant time) {
    DateTime sourceTime = new DateTime(time);
    Variant variant = toVariant(signal.type(), value);
    if (variant == null) {
      long n = rejectedValues.incrementAndGet();
      LOG.warn(
          "{}/{}: value {} does not fit type {} ({} rejected so far)",
          machine.id(),
          signal.name(),
          value.getClass().getSimpleName(),
          signal.type(),
          n);
      return new DataValue(
          Variant.NULL_VALUE,
          new StatusCode(StatusCodes.Bad_TypeMismatch),
          sourceTime,
          DateTime.now());
    }
    return new DataValue(variant, StatusCode.GOOD, sourceTime, DateTime.now());
  }

  /** The variant for a board value, or null when the value does not fit the declared type. */
  static Variant toVariant(SignalType type, Object value) {
    return switch (type) {
      case DOUBLE -> value instanceof Number n ? Variant.ofDouble(n.doubleValue()) : null;
      case LONG ->
          value instanceof Long || value instanceof Integer || value instanceof Short
              ? Variant.ofInt64(((Number) value).longValue())
              : null;
      case BOOLEAN -> value instanceof Boolean b ? Variant.ofBoolean(b) : null;
      case STRING -> value instanceof String s ? Variant.ofString(s) : null;
    };
  }

  static NodeId dataTypeOf(SignalType type) {
    return switch (type) {
      case DOUBLE -> NodeIds.Double;
      case LONG -> NodeIds.Int64;
      case BOOLEAN -> NodeIds.Boolean;
      case STRING -> NodeIds.String;
    };
  }

  private static String key(String machineId, String signal) {
    return machineId + '\u0000' + signal;
  }

  @Override
  public void onDataItemsCreated(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsCreated(dataItems);
  }

  @Override
  public void onDataItemsModified(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsModified(dataItems);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsDeleted(dataItems);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
    subscriptionModel.onMonitoringModeChanged(monitoredItems);
  }
}
