package io.atelier.simulator.scenario;

/**
 * A command that cannot be applied: names a machine or endpoint that does not exist. Carries the
 * short error and the detail the control API returns.
 */
public final class CommandException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String error;
  private final String detail;

  public CommandException(String error, String detail) {
    super(error + ": " + detail);
    this.error = error;
    this.detail = detail;
  }

  public String error() {
    return error;
  }

  public String detail() {
    return detail;
  }
}
