package io.atelier.gateway.pipeline;

import io.atelier.connector.api.Sample;
import io.vertx.core.Future;
import java.util.List;

/**
 * Something downstream of the pipeline: the last-value store, the spool, the KPI engine, the live
 * hub. Each receives every batch, in order, on the pipeline's context.
 */
public interface PipelineConsumer {

  /** A short name for logs, metrics and /ready. */
  String name();

  /**
   * Takes one batch. Must not block (hand blocking work to a worker). The future completes when the
   * consumer is done with the batch; for a durable consumer (the spool) that means the samples are
   * on disk, and only then are connectors told that they may acknowledge upstream. The list must
   * not be kept beyond the future: copy what you need.
   */
  Future<Void> accept(List<Sample> batch);

  /**
   * Whether this consumer also takes derived samples: what the gateway computes itself (KPIs,
   * machine states), as opposed to what machines sent. Storage wants them; the last-value store,
   * the KPI engine and the live hub must not see them (a KPI sample is no sign of life of its
   * machine, and KPIs reach the live hub by their own path).
   */
  default boolean wantsDerived() {
    return false;
  }
}
