package io.atelier.simulator.mqtt;

import io.atelier.simulator.EndpointOptions;
import io.atelier.simulator.ProtocolEndpoint;
import io.atelier.simulator.ProtocolEndpointProvider;
import io.atelier.simulator.machine.SignalBoard;
import java.util.concurrent.CompletableFuture;

/** Publishes the simulator's MQTT machines (JSON and Sparkplug B) to the configured broker. */
public final class MqttEndpointProvider implements ProtocolEndpointProvider {

  @Override
  public String name() {
    return "mqtt";
  }

  @Override
  public ProtocolEndpoint create(SignalBoard board, EndpointOptions options) {
    SimulatorMqttPublisher publisher =
        new SimulatorMqttPublisher(board, MqttPublisherSettings.defaults(options.mqttUrl()));
    return new ProtocolEndpoint() {
      @Override
      public String name() {
        return "mqtt";
      }

      @Override
      public CompletableFuture<Void> start() {
        return publisher.start();
      }

      @Override
      public CompletableFuture<Void> stop() {
        return publisher.stop();
      }

      @Override
      public boolean isRunning() {
        return publisher.isConnected();
      }
    };
  }
}
