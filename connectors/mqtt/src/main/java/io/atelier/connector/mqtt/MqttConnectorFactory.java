package io.atelier.connector.mqtt;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.Connector;
import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorFactory;
import io.atelier.connector.api.config.ConfigProblems;

/** {@code type: mqtt} — an MQTT v5 broker connection (Paho), JSON, plain and Sparkplug B. */
public final class MqttConnectorFactory implements ConnectorFactory {

  public static final String TYPE = "mqtt";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void validate(ConnectionSpec spec, ConfigProblems problems) {
    MqttSettings settings = MqttSettings.read(spec.settingsNode(problems), spec.id());
    MqttMapping.read(spec, settings, problems);
  }

  @Override
  public Connector create(ConnectorContext context) {
    ConfigProblems problems = new ConfigProblems();
    ConnectionSpec spec = context.spec();
    MqttSettings settings = MqttSettings.read(spec.settingsNode(problems), spec.id());
    MqttMapping mapping = MqttMapping.read(spec, settings, problems);
    problems.throwIfAny();
    return new MqttConnector(context, settings, mapping);
  }
}
