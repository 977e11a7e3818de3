package io.atelier.simulator.mqtt;

import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in simulator process for the death-certificate test: one Sparkplug machine whose
 * temperature changes every 100 ms, published until the process is killed. Arguments: broker URL,
 * client id, edge node id.
 */
public final class SparkplugChildMain {

  private SparkplugChildMain() {}

  public static void main(String[] args) throws Exception {
    SignalBoard board = new SignalBoard();
    MachineInfo printer =
        new MachineInfo(
            "printer-01",
            "3d-printer",
            new MachineRef("platform", "hall-a", "moulding", "printer-01"),
            "sparkplug",
            List.of(new SignalDef("temperature_c", SignalType.DOUBLE, "degC", "Temperature")));
    board.define(printer, Map.of("temperature_c", 20.0), Instant.now());
    MqttPublisherSettings settings =
        new MqttPublisherSettings(
            args[0],
            args[1],
            "",
            "",
            1,
            false,
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            1000,
            "atelier",
            args[2]);
    SimulatorMqttPublisher publisher = new SimulatorMqttPublisher(board, settings);
    publisher.start().get(30, TimeUnit.SECONDS);
    System.out.println("connected");
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    AtomicLong n = new AtomicLong();
    ticker.scheduleAtFixedRate(
        () -> board.set("printer-01", "temperature_c", 20.0 + n.incrementAndGet(), Instant.now()),
        100,
        100,
        TimeUnit.MILLISECONDS);
    Thread.currentThread().join(); // until killed
  }
}
