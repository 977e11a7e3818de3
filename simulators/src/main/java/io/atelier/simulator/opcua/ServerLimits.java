package io.atelier.simulator.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/** Our {@link OpcUaServerSettings.Limits} in the shape Milo asks for. */
final class ServerLimits implements OpcUaServerConfigLimits {

  private final OpcUaServerSettings.Limits limits;

  ServerLimits(OpcUaServerSettings.Limits limits) {
    this.limits = limits;
  }

  @Override
  public UInteger getMaxSessions() {
    return uint(limits.maxSessions());
  }

  @Override
  public UInteger getMaxSubscriptions() {
    return uint(limits.maxSubscriptions());
  }

  @Override
  public UInteger getMaxSubscriptionsPerSession() {
    return uint(limits.maxSubscriptionsPerSession());
  }

  @Override
  public UInteger getMaxMonitoredItems() {
    return uint(limits.maxMonitoredItems());
  }

  @Override
  public UInteger getMaxMonitoredItemsPerSession() {
    return uint(limits.maxMonitoredItemsPerSession());
  }

  /**
   * 0, so that Milo passes a request for sampling interval 0 on unchanged: the machines namespace
   * serves those exception-based and revises every other request up to {@code
   * minSamplingIntervalMs} itself; Milo's own namespace has a minimum of 100 ms per variable.
   */
  @Override
  public Double getMinSupportedSampleRate() {
    return 0.0;
  }

  @Override
  public Double getMinPublishingInterval() {
    return limits.minPublishingIntervalMs();
  }
}
