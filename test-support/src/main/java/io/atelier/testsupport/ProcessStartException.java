package io.atelier.testsupport;

/** A child process did not start or did not become ready; the message ends with its log tail. */
public final class ProcessStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String logTail;

  ProcessStartException(String message, String logTail, Throwable cause) {
    super(message + "\n--- last lines of the process log ---\n" + logTail, cause);
    this.logTail = logTail;
  }

  /** The last lines the process wrote before the failure. */
  public String logTail() {
    return logTail;
  }

  /** True when the log says a port was taken, so a first start may retry on other ports. */
  public boolean isAddressInUse() {
    return logTail.toLowerCase(java.util.Locale.ROOT).contains("address already in use");
  }
}
