package io.atelier.simulator.control;

/**
 * An error the control API answers with: an HTTP status, a short error and a detail, sent as {@code
 * {"error": "...", "detail": "..."}}. One place maps failures to statuses ({@link ControlApi}).
 */
final class ApiError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String detail;

  ApiError(int status, String error, String detail) {
    super(error + ": " + detail);
    this.status = status;
    this.error = error;
    this.detail = detail;
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }

  String detail() {
    return detail;
  }
}
