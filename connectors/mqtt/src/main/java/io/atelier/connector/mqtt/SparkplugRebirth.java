package io.atelier.connector.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/** The Sparkplug B rebirth request: NCMD with {@code Node Control/Rebirth = true}. */
final class SparkplugRebirth {

  static final String REBIRTH_METRIC = "Node Control/Rebirth";

  private SparkplugRebirth() {}

  static byte[] payload() {
    try {
      Metric rebirth =
          new Metric.MetricBuilder(REBIRTH_METRIC, MetricDataType.Boolean, Boolean.TRUE)
              .createMetric();
      SparkplugBPayload p = new SparkplugBPayload(new Date(), List.of(rebirth));
      return new SparkplugBPayloadEncoder().getBytes(p, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SparkplugInvalidTypeException e) {
      throw new IllegalStateException("Boolean is a valid Sparkplug type", e);
    }
  }
}
