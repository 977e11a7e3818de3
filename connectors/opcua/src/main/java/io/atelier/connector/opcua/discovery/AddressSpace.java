package io.atelier.connector.opcua.discovery;

import java.util.List;

/**
 * What a browse found: the objects that hold variables, each to become one machine.
 *
 * @param machines in browse order
 * @param browseCalls Browse and BrowseNext requests made (each with up to the server's
 *     MaxNodesPerBrowse nodes)
 * @param nodesVisited objects and variables seen
 * @param truncated true when objects at the depth bound (or beyond the node bound) were not browsed
 */
public record AddressSpace(
    List<Machine> machines, int browseCalls, int nodesVisited, boolean truncated) {

  public AddressSpace {
    machines = List.copyOf(machines);
  }

  public int signalCount() {
    return machines.stream().mapToInt(m -> m.variables().size()).sum();
  }

  /**
   * An object holding variables.
   *
   * @param browseName the object's browse name (its display text)
   * @param browsePath browse names from the Objects folder, {@code Objects/Machines/cnc-01}
   * @param variables the variables in its subtree, in browse order
   */
  public record Machine(String browseName, String browsePath, List<Variable> variables) {
    public Machine {
      variables = List.copyOf(variables);
    }
  }

  /**
   * A variable.
   *
   * @param relativePath browse names from the machine's object to the variable
   * @param nodeId the {@code nsu=} form (namespace 0 as plain {@code i=...})
   * @param dataType the data type's browse name ({@code Double}), or its node id if unreadable
   * @param description the server's description of the node, may be empty
   */
  public record Variable(
      List<String> relativePath, String nodeId, String dataType, String description) {
    public Variable {
      relativePath = List.copyOf(relativePath);
    }
  }
}
