package io.atelier.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.gateway.config.PipelineSettings.OverflowPolicy;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.gateway.testing.TestConnectorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final ConnectorRegistry REGISTRY =
      ConnectorRegistry.of(List.of(new TestConnectorFactory()));

  private static final String VALID =
      """
      gateway:
        name: test-gw
        dataDir: data
      http:
        port: 9090
      pipeline:
        capacity: 1000
        overflow: drop-oldest
      connections:
        - id: line-1
          type: test
          settings:
            url: tcp://127.0.0.1:1883
      machines:
        - id: cnc-01
          path: site/hall/line-1/cnc-01
          connection: line-1
          metadata: {type: cnc-mill, firm: acme}
          signals:
            - name: spindle_speed
              unit: rpm
              address: a/b
            - name: good_count
      """;

  private static List<ConfigProblem> problems(String yaml) {
    try {
      new ConfigLoader(REGISTRY, name -> null).parse(yaml, Path.of("."));
    } catch (InvalidConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected problems, config was accepted");
  }

  @Test
  void readsAValidConfiguration(@TempDir Path dir) {
    GatewayConfig c = new ConfigLoader(REGISTRY, name -> null).parse(VALID, dir);
    assertThat(c.gateway().name()).isEqualTo("test-gw");
    assertThat(c.gateway().dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.pipeline().overflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
    assertThat(c.machines()).hasSize(1);
    MachineConfig m = c.machines().get(0);
    assertThat(m.ref().line()).isEqualTo("line-1");
    assertThat(m.metadata()).containsEntry("firm", "acme");
    assertThat(m.signals()).containsExactly("spindle_speed", "good_count");
    assertThat(c.connections().get(0).machines().get(0).signals().get(0).options())
        .isEqualTo(Map.of("address", "a/b"));
  }

  /** The five cases of the Foundation issue, in one file: every one is reported, with its path. */
  @Test
  void reportsEveryProblemAtOnceWithItsPath() {
    String broken =
        """
        http:
          port: eighty          # wrong type
          colour: blue          # unknown key
        connections:
          - id: line-1
            type: test
            settings:
              url: htp//nowhere # bad URL
        machines:
          - id: cnc-01
            path: site/hall/line-1/cnc-01
            connection: line-1
          - id: cnc-01          # duplicate id
            path: site/hall/line-1/cnc-02
            connection: line-1
          - id: robot-01        # missing required field: path
            connection: line-1
        """;
    List<ConfigProblem> problems = problems(broken);
    assertThat(problems)
        .extracting(ConfigProblem::path)
        .contains(
            "http.port",
            "http.colour",
            "connections[0].settings.url",
            "machines[1].id",
            "machines[2].path");
    assertThat(problems)
        .filteredOn(p -> p.path().equals("http.port"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).contains("whole number");
              assertThat(p.value()).isEqualTo("eighty");
            });
    assertThat(problems)
        .filteredOn(p -> p.path().equals("machines[1].id"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("duplicate machine id"));
    assertThat(problems)
        .filteredOn(p -> p.path().equals("machines[2].path"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("missing required field"));
  }

  @Test
  void reportsUnknownConnectionTypesAndDanglingReferences() {
    List<ConfigProblem> problems =
        problems(
            """
            connections:
              - id: a
                type: carrier-pigeon
            machines:
              - id: m
                path: s/a/l/m
                connection: b
                signals:
                  - name: Spindle Speed
            """);
    assertThat(problems)
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "connections[0].type", "machines[0].connection", "machines[0].signals[0].name");
  }

  @Test
  void connectorSpecificSignalKeysAreCheckedByTheConnector() {
    List<ConfigProblem> problems = problems(VALID.replace("address: a/b", "adress: a/b"));
    assertThat(problems)
        .extracting(ConfigProblem::path)
        .containsExactly("machines[0].signals[0].adress");
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheirLine() {
    List<ConfigProblem> problems = problems("connections:\n  - id: [unclosed\n");
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.path()).startsWith("(line"));
  }

  @Test
  void substitutesEnvironmentVariablesAndSecretFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("port.txt"), "7070\n");
    String yaml =
        VALID
            .replace("port: 9090", "port: ${file:port.txt}")
            .replace("name: test-gw", "name: ${GW_NAME}")
            .replace("dataDir: data", "dataDir: ${DATA_DIR:-fallback}");
    GatewayConfig c =
        new ConfigLoader(REGISTRY, n -> n.equals("GW_NAME") ? "from-env" : null).parse(yaml, dir);
    assertThat(c.gateway().name()).isEqualTo("from-env");
    assertThat(c.http().port()).isEqualTo(7070);
    assertThat(c.gateway().dataDir()).isEqualTo(Path.of("fallback").toAbsolutePath());
  }

  @Test
  void reportsMissingEnvironmentVariablesWithoutLeakingSecrets(@TempDir Path dir) {
    String yaml = VALID.replace("name: test-gw", "name: ${NOT_SET}");
    assertThatThrownBy(() -> new ConfigLoader(REGISTRY, n -> null).parse(yaml, dir))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("gateway.name")
        .hasMessageContaining("NOT_SET is not set");
  }

  @Test
  void refusesTwoFactoriesWithTheSameType() {
    assertThatThrownBy(
            () ->
                ConnectorRegistry.of(
                    List.of(new TestConnectorFactory(), new TestConnectorFactory())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'test'");
  }
}
