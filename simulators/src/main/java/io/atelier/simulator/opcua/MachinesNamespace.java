package io.atelier.simulator.opcua;

import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import java.time.Instant;
import java.util.ArrayList;
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
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated machines as an OPC UA address space: {@code Objects/Machines/<id>/<browse path>}
 * with string node ids {@code <id>/<browse path>} in {@code urn:atelier:simulator}, so that node
 * ids depend only on the machine definitions and never on start order. Values come from the {@link
 * SignalBoard}. Monitored items of a variable's value with a sampling interval of 0 are told of
 * every change as it happens ({@link ChangeDrivenItems}); Milo's {@link SubscriptionModel} samples
 * every other item, at {@code minSamplingIntervalMs} or slower.
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
  private final ChangeDrivenItems changeDriven = new ChangeDrivenItems();

  /** Machine id -> signal name -> node; nested so a change costs no key building. */
  private final Map<String, Map<String, UaVariableNode>> variables = new HashMap<>();

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
        variables.values().stream().mapToInt(Map::size).sum(),
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
            // 0: exception-based reporting is supported (sampling interval 0, see the class
            // comment); any other interval is revised up to minSamplingIntervalMs.
            .setMinimumSamplingInterval(0.0)
            .build();
    board
        .get(machine.id(), signal.name())
        .ifPresent(v -> node.setValue(toDataValue(machine, signal, v.value(), v.time())));
    getNodeManager().addNode(node);
    variables.computeIfAbsent(machine.id(), m -> new HashMap<>()).put(signal.name(), node);
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
    Map<String, UaVariableNode> signals = variables.get(machine.id());
    UaVariableNode node = signals == null ? null : signals.get(signal.name());
    if (node != null) {
      DataValue dv = toDataValue(machine, signal, value, time);
      node.setValue(dv);
      changeDriven.changed(node, dv);
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

  @Override
  public RevisedDataItemParameters onCreateDataItem(
      ReadValueId item, Double requestedSamplingInterval, UInteger requestedQueueSize) {
    return new RevisedDataItemParameters(
        revisedSamplingInterval(item, requestedSamplingInterval), requestedQueueSize);
  }

  @Override
  public RevisedDataItemParameters onModifyDataItem(
      ReadValueId item, Double requestedSamplingInterval, UInteger requestedQueueSize) {
    return new RevisedDataItemParameters(
        revisedSamplingInterval(item, requestedSamplingInterval), requestedQueueSize);
  }

  /**
   * 0 stays 0 (exception-based) for the value of one of our variables; everything else is sampled,
   * at {@code minSamplingIntervalMs} or slower. The server-wide minimum is 0 so that a request for
   * 0 reaches this method as 0 (see {@link ServerLimits}).
   */
  private double revisedSamplingInterval(ReadValueId item, double requested) {
    if (ChangeDrivenItems.isChangeDriven(requested) && variableOf(item) != null) {
      return 0.0;
    }
    return Math.max(requested, minSamplingIntervalMs);
  }

  /** The variable whose value {@code item} reads, or null for any other node or attribute. */
  private UaVariableNode variableOf(ReadValueId item) {
    if (!AttributeId.Value.isEqual(item.getAttributeId())) {
      return null;
    }
    return getNodeManager().getNode(item.getNodeId()).orElse(null) instanceof UaVariableNode v
        ? v
        : null;
  }

  @Override
  public void onDataItemsCreated(List<DataItem> dataItems) {
    List<DataItem> sampled = new ArrayList<>(dataItems.size());
    for (DataItem item : dataItems) {
      UaVariableNode node = changeDrivenNode(item);
      if (node != null) {
        changeDriven.add(item, node);
      } else {
        sampled.add(item);
      }
    }
    if (!sampled.isEmpty()) {
      subscriptionModel.onDataItemsCreated(sampled);
    }
  }

  @Override
  public void onDataItemsModified(List<DataItem> dataItems) {
    // An item may move between the sampler and exception-based reporting with its new interval.
    List<DataItem> toSampler = new ArrayList<>();
    List<DataItem> fromSampler = new ArrayList<>();
    for (DataItem item : dataItems) {
      UaVariableNode node = changeDrivenNode(item);
      boolean was = changeDriven.contains(item);
      if (node != null && !was) {
        fromSampler.add(item);
        changeDriven.add(item, node);
      } else if (node == null && was) {
        changeDriven.remove(item);
        toSampler.add(item);
      }
    }
    if (!fromSampler.isEmpty()) {
      subscriptionModel.onDataItemsDeleted(fromSampler);
    }
    if (!toSampler.isEmpty()) {
      subscriptionModel.onDataItemsCreated(toSampler);
    }
    subscriptionModel.onDataItemsModified(dataItems);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> dataItems) {
    List<DataItem> sampled = new ArrayList<>(dataItems.size());
    for (DataItem item : dataItems) {
      if (changeDriven.contains(item)) {
        changeDriven.remove(item);
      } else {
        sampled.add(item);
      }
    }
    if (!sampled.isEmpty()) {
      subscriptionModel.onDataItemsDeleted(sampled);
    }
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
    for (MonitoredItem item : monitoredItems) {
      // Re-enabled: Milo cleared the last value, so send the current one as the sampler would.
      if (item instanceof DataItem d && changeDriven.contains(d)) {
        changeDriven.sendCurrent(d);
      }
    }
    subscriptionModel.onMonitoringModeChanged(monitoredItems);
  }

  private UaVariableNode changeDrivenNode(DataItem item) {
    return ChangeDrivenItems.isChangeDriven(item.getSamplingInterval())
        ? variableOf(item.getReadValueId())
        : null;
  }
}
