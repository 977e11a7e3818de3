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

  @Override
  public Double getMinSupportedSampleRate() {
    return limits.minSamplingIntervalMs();
  }

  @Override
  public Double getMinPublishingInterval() {
    return limits.minPublishingIntervalMs();
  }
}
