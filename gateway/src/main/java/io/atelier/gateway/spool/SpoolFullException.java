package io.atelier.gateway.spool;

import java.io.IOException;

/** The spool is full and its policy is backpressure: the batch was not taken. */
public final class SpoolFullException extends IOException {

  private static final long serialVersionUID = 1L;

  public SpoolFullException(String message) {
    super(message);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    // An expected, counted outcome under load: the stack says nothing.
    return this;
  }
}
