package io.atelier.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the project's Markdown (README, docs, module READMEs) points to a file
 * that exists, and every {@code #anchor} to a heading of that file (GitHub's anchor rules), so a
 * renamed file or section cannot leave a newcomer at a dead end.
 */
class DocsLinksTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

  @Test
  void relativeLinksAndAnchorsResolve() throws IOException {
    List<Path> docs = markdownFiles();
    assertThat(docs).as("Markdown files found under " + REPO).hasSizeGreaterThan(5);
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path doc : docs) {
      String text = withoutCodeBlocks(Files.readString(doc), true);
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
          continue; // http:, https:, mailto:
        }
        checked++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? "" : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(REPO.relativize(doc) + ": " + target + " (no such file)");
        } else if (!anchor.isEmpty()
            && resolved.toString().endsWith(".md")
            && !anchors(resolved).contains(anchor)) {
          broken.add(REPO.relativize(doc) + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(broken).isEmpty();
  }

  private static List<Path> markdownFiles() throws IOException {
    try (Stream<Path> files = Files.walk(REPO)) {
      return files
          .filter(p -> p.toString().endsWith(".md"))
          .filter(
              p -> {
                String rel = REPO.relativize(p).toString().replace('\\', '/');
                return !rel.contains("target/")
                    && !rel.contains("node_modules/")
                    && !rel.startsWith("bench/results/")
                    && !rel.startsWith(".")
                    && !rel.contains("/.");
              })
          .sorted()
          .toList();
    }
  }

  private static String withoutCodeBlocks(String text, boolean dropInlineCode) {
    StringBuilder out = new StringBuilder();
    boolean code = false;
    for (String line : text.split("\n", -1)) {
      if (line.trim().startsWith("```")) {
        code = !code;
        continue;
      }
      if (!code) {
        out.append(dropInlineCode ? line.replaceAll("`[^`]*`", "") : line).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1.. for repeats.
   */
  static Set<String> anchors(Path doc) {
    String text;
    try {
      text = withoutCodeBlocks(Files.readString(doc), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> out = new HashSet<>();
    for (String line : text.split("\n")) {
      Matcher h = HEADING.matcher(line);
      if (!h.matches()) {
        continue;
      }
      String slug =
          h.group(1)
              .replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1")
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      String unique = slug;
      for (int i = 1; !out.add(unique); i++) {
        unique = slug + "-" + i;
      }
    }
    return out;
  }
}
