package io.atelier.gateway.pipeline;

/**
 * Why the pipeline refused or dropped samples. A connector that acknowledges upstream treats it as
 * "do not acknowledge": the source keeps the data and sends it again.
 */
public final class PipelineRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PipelineRejectedException(String message) {
    // No stack trace: this is a counted, expected outcome under load, not a bug.
    super(message, null, false, false);
  }
}
