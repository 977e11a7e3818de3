package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.gateway.influx.InfluxSettings.Api;
import org.junit.jupiter.api.Test;

class ApiProbeTest {

  @Test
  void oneDotXSpeaksV1AndEverythingNewerV2() {
    assertThat(ApiProbe.fromVersion("1.6.7~rc0")).isEqualTo(Api.V1);
    assertThat(ApiProbe.fromVersion("1.8.10")).isEqualTo(Api.V1);
    assertThat(ApiProbe.fromVersion("v2.7.10")).isEqualTo(Api.V2);
    assertThat(ApiProbe.fromVersion("3.0.1")).isEqualTo(Api.V2);
  }
}
