package io.atelier.connector.opcua;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.Connector;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorFactory;
import io.atelier.connector.api.config.ConfigProblems;

/** Makes OPC UA connectors: {@code type: opcua}. */
public final class OpcUaConnectorFactory implements ConnectorFactory {

  public static final String TYPE = "opcua";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void validate(ConnectionSpec spec, ConfigProblems problems) {
    OpcUaConfigReader.read(spec, problems);
  }

  @Override
  public Connector create(ConnectorContext context) {
    ConfigProblems problems = new ConfigProblems();
    OpcUaConfigReader.OpcUaConfig config = OpcUaConfigReader.read(context.spec(), problems);
    problems.throwIfAny();
    return new OpcUaConnector(context, config.settings(), config.signals());
  }
}
