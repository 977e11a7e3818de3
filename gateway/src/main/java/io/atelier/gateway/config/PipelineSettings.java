package io.atelier.gateway.config;

/**
 * The sample pipeline between connectors and consumers.
 *
 * @param capacity how many samples may wait in the queue
 * @param batchSize how many samples one drain hands to the consumers at most
 * @param overflow what happens when the queue is full
 */
public record PipelineSettings(int capacity, int batchSize, OverflowPolicy overflow) {

  /** What to do with a sample that finds the queue full. Either way it is counted and logged. */
  public enum OverflowPolicy {
    /**
     * Refuse the new samples: their completion fails, so a connector that acknowledges upstream
     * (MQTT QoS 1) does not, and the broker redelivers later. Nothing acknowledged is lost.
     */
    REJECT,
    /** Make room by dropping the oldest queued samples (their completions fail). */
    DROP_OLDEST
  }
}
