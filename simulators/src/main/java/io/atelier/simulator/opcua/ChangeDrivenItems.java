package io.atelier.simulator.opcua;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;

/**
 * Monitored items served exception-based: a client that asks for a sampling interval of 0 is told
 * of every change of the value, when it happens, instead of Milo sampling the node on a timer.
 *
 * <p>Why: Milo's sampler reads every item of a sampling group each interval, so a value that
 * changes twice between two samples (a starved or late sampling pass) loses a change, and 20,000
 * items at 125 ms cost 160,000 reads a second whether anything changed or not. Here the cost is one
 * map lookup per change, and a change is only lost when the item's own queue overflows (which the
 * client sees as the overflow bit).
 *
 * <p>Thread-safe: changes arrive on the simulation thread, items come and go on Milo's threads.
 */
final class ChangeDrivenItems {

  private final Map<UaVariableNode, List<DataItem>> byNode = new ConcurrentHashMap<>();
  private final Map<DataItem, UaVariableNode> nodes = new ConcurrentHashMap<>();

  /** The sampling interval that asks for exception-based reporting. */
  static boolean isChangeDriven(double samplingInterval) {
    return samplingInterval == 0.0;
  }

  boolean contains(DataItem item) {
    return nodes.containsKey(item);
  }

  /** Items currently served this way. */
  Set<DataItem> items() {
    return nodes.keySet();
  }

  /** Starts telling {@code item} of every change of {@code node}, beginning with its value now. */
  void add(DataItem item, UaVariableNode node) {
    if (nodes.putIfAbsent(item, node) != null) {
      return;
    }
    byNode.computeIfAbsent(node, n -> new CopyOnWriteArrayList<>()).add(item);
    sendCurrent(item);
  }

  /**
   * Sends the node's current value, e.g. after creation or re-enabling. Under the item's lock, so a
   * change made meanwhile is either already in the value read here (and then filtered out as a
   * duplicate when it arrives) or queued after it: the client never sees values out of order.
   */
  void sendCurrent(DataItem item) {
    UaVariableNode node = nodes.get(item);
    if (node == null) {
      return;
    }
    synchronized (item) {
      if (item.isSamplingEnabled()) {
        item.setValue(derived(node.getValue(), item.getTimestampsToReturn()));
      }
    }
  }

  void remove(DataItem item) {
    UaVariableNode node = nodes.remove(item);
    if (node != null) {
      byNode.computeIfPresent(
          node,
          (n, list) -> {
            list.remove(item);
            return list.isEmpty() ? null : list;
          });
    }
  }

  /** A new value of {@code node}: queued at once on every item monitoring it. */
  void changed(UaVariableNode node, DataValue value) {
    List<DataItem> items = byNode.get(node);
    if (items == null) {
      return;
    }
    for (DataItem item : items) {
      if (item.isSamplingEnabled()) {
        item.setValue(withTimestamps(value, item.getTimestampsToReturn()));
      }
    }
  }

  /**
   * The change's own value trimmed to the timestamps the item asked for. Unlike Milo's {@code
   * derivedValue} it keeps the server timestamp the change already carries (stamped when the server
   * took it) instead of reading the clock again per item and change.
   */
  private static DataValue withTimestamps(DataValue value, TimestampsToReturn timestamps) {
    if (timestamps == null || timestamps == TimestampsToReturn.Both) {
      return value;
    }
    boolean source = timestamps == TimestampsToReturn.Source;
    boolean server = timestamps == TimestampsToReturn.Server;
    return new DataValue(
        value.value(),
        value.statusCode(),
        source ? value.sourceTime() : null,
        source ? value.sourcePicoseconds() : null,
        server ? value.serverTime() : null,
        server ? value.serverPicoseconds() : null);
  }

  private static DataValue derived(DataValue value, TimestampsToReturn timestamps) {
    return timestamps == null ? value : DataValue.derivedValue(value, timestamps);
  }
}
