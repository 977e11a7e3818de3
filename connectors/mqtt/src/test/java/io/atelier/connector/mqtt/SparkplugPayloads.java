package io.atelier.connector.mqtt;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/** Builds Sparkplug B payloads with Tahu, as an edge node would, for tests. */
final class SparkplugPayloads {

  private final List<Metric> metrics = new ArrayList<>();
  private Long seq;
  private Date timestamp = new Date();

  static SparkplugPayloads payload() {
    return new SparkplugPayloads();
  }

  SparkplugPayloads seq(long s) {
    this.seq = s;
    return this;
  }

  SparkplugPayloads at(long epochMillis) {
    this.timestamp = new Date(epochMillis);
    return this;
  }

  /** A metric with name, alias and type, as in a birth. */
  SparkplugPayloads birthMetric(String name, long alias, MetricDataType type, Object value)
      throws Exception {
    metrics.add(untimed(new Metric.MetricBuilder(name, type, value).alias(alias).createMetric()));
    return this;
  }

  /** A metric by name with its type. */
  SparkplugPayloads metric(String name, MetricDataType type, Object value) throws Exception {
    metrics.add(untimed(new Metric.MetricBuilder(name, type, value).createMetric()));
    return this;
  }

  /** A metric by alias only (no name), as in data messages of nodes that use aliases. */
  SparkplugPayloads aliasMetric(long alias, MetricDataType type, Object value, Long timestamp)
      throws Exception {
    Metric m = new Metric.MetricBuilder(alias, type, value).createMetric();
    // Tahu stamps every new metric with "now"; null means "no metric timestamp" here.
    m.setTimestamp(timestamp == null ? null : new Date(timestamp));
    metrics.add(m);
    return this;
  }

  /** Tahu stamps every new metric with "now"; these take the payload's timestamp instead. */
  private static Metric untimed(Metric m) {
    m.setTimestamp(null);
    return m;
  }

  byte[] bytes() throws Exception {
    SparkplugBPayload p = new SparkplugBPayload(timestamp, metrics, seq);
    return new SparkplugBPayloadEncoder().getBytes(p, false);
  }
}
