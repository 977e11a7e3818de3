package io.atelier.gateway.http.machines;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machines changed through the API, kept in {@code <dataDir>/machines.overlay.json} and applied
 * on top of the configuration file at start-up. Each entry is a whole machine as the API received
 * it, or a removal. Immutable: {@link #with} returns the next version, {@link #save} writes it
 * atomically (a crash leaves the old or the new file, never half of one).
 *
 * <p>Entries are never {@code ${...}}-substituted, here or in the API: a client must not be able to
 * read the gateway's environment by putting {@code ${SECRET}} in a description.
 */
public final class MachineOverlay {

  public static final String FILE = "machines.overlay.json";

  private final Path file;
  private final Map<String, Optional<Map<String, Object>>> entries;

  private MachineOverlay(Path file, Map<String, Optional<Map<String, Object>>> entries) {
    this.file = file;
    this.entries = entries;
  }

  /** Reads the overlay of a data directory; empty if there is none. */
  public static MachineOverlay load(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    Map<String, Optional<Map<String, Object>>> entries = new LinkedHashMap<>();
    if (Files.exists(file)) {
      JsonObject root = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      JsonArray list = root.getJsonArray("machines", new JsonArray());
      for (int i = 0; i < list.size(); i++) {
        JsonObject e = list.getJsonObject(i);
        String id = e.getString("id");
        if (e.getBoolean("removed", false)) {
          entries.put(id, Optional.empty());
        } else {
          entries.put(id, Optional.of(PlainJson.map(e.getJsonObject("entry"))));
        }
      }
    }
    return new MachineOverlay(file, entries);
  }

  /** The entries in the order they were first made: a machine, or empty for a removal. */
  public Map<String, Optional<Map<String, Object>>> entries() {
    return java.util.Collections.unmodifiableMap(entries);
  }

  /** The next version, with machine {@code id} set to {@code entry} (empty: removed). */
  public MachineOverlay with(String id, Optional<Map<String, Object>> entry) {
    Map<String, Optional<Map<String, Object>>> next = new LinkedHashMap<>(entries);
    next.put(id, entry);
    return new MachineOverlay(file, next);
  }

  /** Writes this version (blocking). */
  public void save() throws IOException {
    List<Object> list = new ArrayList<>();
    entries.forEach(
        (id, e) -> {
          JsonObject o = new JsonObject().put("id", id);
          if (e.isPresent()) {
            o.put("entry", new JsonObject(e.get()));
          } else {
            o.put("removed", true);
          }
          list.add(o);
        });
    JsonObject root = new JsonObject().put("version", 1).put("machines", new JsonArray(list));
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(FILE + ".tmp");
    Files.writeString(tmp, root.encodePrettily(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public Path file() {
    return file;
  }
}
