package io.atelier.gateway.pipeline;

/**
 * A snapshot of the pipeline's counters, all in samples.
 *
 * @param accepted machines' samples taken into the queue
 * @param rejected refused because the queue was full (policy reject) or the pipeline stopping
 * @param dropped removed from the queue to make room (policy drop-oldest)
 * @param delivered handed to the consumers, who all succeeded
 * @param failed handed to the consumers, at least one of whom failed
 * @param batches drained batches
 * @param queued waiting in the queue now
 * @param capacity the queue's capacity
 * @param derived samples the gateway computed itself (KPIs, states) taken into the queue; not in
 *     accepted, delivered or failed
 */
public record PipelineStats(
    long accepted,
    long rejected,
    long dropped,
    long delivered,
    long failed,
    long batches,
    long queued,
    long capacity,
    long derived) {}
