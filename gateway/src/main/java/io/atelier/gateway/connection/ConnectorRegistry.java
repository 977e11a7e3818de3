package io.atelier.gateway.connection;

import io.atelier.connector.api.ConnectorFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The connector types available to this gateway, found through {@link ServiceLoader}. */
public final class ConnectorRegistry {

  private final Map<String, ConnectorFactory> factories;

  private ConnectorRegistry(Map<String, ConnectorFactory> factories) {
    this.factories = factories;
  }

  /**
   * Loads every factory on the class path.
   *
   * @throws IllegalStateException if two factories claim the same type: which one would win would
   *     depend on class path order, so the gateway refuses to start
   */
  public static ConnectorRegistry load() {
    return of(
        ServiceLoader.load(ConnectorFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList());
  }

  public static ConnectorRegistry of(List<ConnectorFactory> list) {
    Map<String, ConnectorFactory> byType = new TreeMap<>();
    for (ConnectorFactory f : list) {
      ConnectorFactory previous = byType.putIfAbsent(f.type(), f);
      if (previous != null) {
        throw new IllegalStateException(
            "two connector factories claim type '"
                + f.type()
                + "': "
                + previous.getClass().getName()
                + " and "
                + f.getClass().getName());
      }
    }
    return new ConnectorRegistry(Map.copyOf(byType));
  }

  public Optional<ConnectorFactory> factory(String type) {
    return Optional.ofNullable(factories.get(type));
  }

  /** The known type codes, sorted. */
  public List<String> types() {
    return factories.keySet().stream().sorted().toList();
  }
}
