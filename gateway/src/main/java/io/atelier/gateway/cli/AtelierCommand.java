package io.atelier.gateway.cli;

import io.atelier.simulator.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar atelier.jar <command>}: the one entry point of the gateway and its tools. */
@Command(
    name = "atelier",
    mixinStandardHelpOptions = true,
    versionProvider = AtelierCommand.Version.class,
    description = "Shop-floor data gateway: OPC UA and MQTT in, InfluxDB and live KPIs out.",
    subcommands = {
      RunCommand.class,
      CheckConfigCommand.class,
      DemoCommand.class,
      DiscoverCommand.class,
      SimulateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AtelierCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with every sub-command, as {@link #main} runs it. */
  public static CommandLine commandLine() {
    return new CommandLine(new AtelierCommand());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = AtelierCommand.class.getPackage().getImplementationVersion();
      return new String[] {"atelier " + (v == null ? "(development build)" : v)};
    }
  }
}
