package io.atelier.gateway.influx;

import java.util.List;

/**
 * What {@code /ready} shows for storage.
 *
 * @param status UP, DEGRADED (data is kept but not written, or some was dropped) or DOWN (the spool
 *     cannot take data)
 * @param reasons why, for people; empty when UP
 */
public record StorageHealth(Status status, List<String> reasons) {

  public enum Status {
    UP,
    DEGRADED,
    DOWN
  }

  public StorageHealth {
    reasons = List.copyOf(reasons);
  }
}
