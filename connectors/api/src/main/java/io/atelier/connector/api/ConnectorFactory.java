package io.atelier.connector.api;

import io.atelier.connector.api.config.ConfigProblems;

/**
 * Makes connectors of one type. Found through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.atelier.connector.api.ConnectorFactory}. Two factories with the same
 * {@link #type()} stop the gateway at start-up.
 */
public interface ConnectorFactory {

  /** The type code used in the configuration ({@code type: opcua}). Lower case. */
  String type();

  /**
   * Checks the connection's settings and its machines' sources and signals. Adds every problem,
   * with its YAML path, and never throws for bad input.
   */
  void validate(ConnectionSpec spec, ConfigProblems problems);

  /** Builds a connector; called only with a spec for which {@link #validate} found nothing. */
  Connector create(ConnectorContext context);
}
