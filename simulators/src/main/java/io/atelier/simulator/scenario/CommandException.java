package io.atelier.simulator.scenario;

/**
 * A command that cannot be applied: names a machine or endpoint that does not exist. Carries the
 * short error and the detail the control API returns.
 */
public final class CommandException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String error;

  public CommandException(String error, String detail) {
    super(error + ": " + detail);
    this.error = error;
  }

  public String error() {
    return error;
  }

  public String detail() {
    String m = getMessage();
    return m.substring(error.length() + 2);
  }
}
