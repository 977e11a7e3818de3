package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterFileTest {

  @TempDir Path dir;

  @Test
  void writesOneParsableJsonLinePerMessage() throws Exception {
    Path file = dir.resolve("sub/dl.jsonl");
    try (DeadLetterFile dl = new DeadLetterFile(file, 1 << 20)) {
      dl.append(
          Instant.EPOCH, "a/\"b\"\n", "malformed-json", "bad \u0001 detail", new byte[] {0, -1});
      dl.append(Instant.EPOCH, "t", "too-deep", "x", new byte[0]);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("topic").asText()).isEqualTo("a/\"b\"\n");
    assertThat(first.get("reason").asText()).isEqualTo("malformed-json");
    assertThat(Base64.getDecoder().decode(first.get("payload").asText())).containsExactly(0, -1);
    assertThat(first.get("time").asText()).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void staysBoundedByRotatingAndCuttingHugePayloads() throws Exception {
    Path file = dir.resolve("dl.jsonl");
    try (DeadLetterFile dl = new DeadLetterFile(file, 10_000)) {
      for (int i = 0; i < 200; i++) {
        dl.append(Instant.EPOCH, "t", "r", "d", new byte[500]);
      }
      dl.append(Instant.EPOCH, "t", "payload-too-large", "d", new byte[1 << 20]);
    }
    assertThat(Files.size(file) + Files.size(dir.resolve("dl.jsonl.1")))
        .isLessThan(2 * 10_000 + 100_000);
    assertThat(Files.readString(file)).contains("\"truncated\":true");
  }
}
