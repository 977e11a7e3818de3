package io.atelier.connector.api;

import java.util.List;

/**
 * Where connectors hand their samples. The contract:
 *
 * <ul>
 *   <li>It never blocks and never throws: callable from Milo's and Paho's threads.
 *   <li>It is thread-safe: any number of threads may call it at once.
 *   <li>Samples of one signal handed in order by one thread stay in that order downstream.
 *   <li>The completion is called exactly once per call, on any thread: succeeded once all the
 *       samples of the call are durable, failed if any was refused (see {@link Completion}).
 * </ul>
 */
public interface SampleSink {

  /** Hands over a batch (one MQTT message, one OPC UA notification) with one completion. */
  void acceptAll(List<Sample> samples, Completion completion);

  default void accept(Sample sample, Completion completion) {
    acceptAll(List.of(sample), completion);
  }

  default void accept(Sample sample) {
    acceptAll(List.of(sample), Completion.NONE);
  }
}
