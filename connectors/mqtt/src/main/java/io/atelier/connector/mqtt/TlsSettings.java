package io.atelier.connector.mqtt;

import io.atelier.connector.api.config.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS for {@code ssl://} URLs.
 *
 * @param caFile PEM file with the CA certificate(s) to trust; empty: the JVM's default trust store
 * @param certFile PEM client certificate (chain), for brokers that require client certificates
 * @param keyFile the client certificate's private key, unencrypted PKCS#8 PEM
 * @param verifyHostname check that the broker's certificate names the host in the URL
 */
public record TlsSettings(
    Optional<Path> caFile,
    Optional<Path> certFile,
    Optional<Path> keyFile,
    boolean verifyHostname) {

  static TlsSettings read(ConfigNode tls) {
    Optional<Path> ca = file(tls, "caFile");
    Optional<Path> cert = file(tls, "certFile");
    Optional<Path> key = file(tls, "keyFile");
    boolean verify = tls.bool("verifyHostname", true);
    tls.rejectUnknownKeys();
    if (cert.isPresent() != key.isPresent()) {
      tls.problems()
          .add(
              tls.path(cert.isPresent() ? "keyFile" : "certFile"),
              "certFile and keyFile go together: give both or neither");
    }
    TlsSettings settings = new TlsSettings(ca, cert, key, verify);
    if (tls.problems().isEmpty()) {
      try {
        TlsContexts.socketFactory(settings);
      } catch (Exception e) {
        tls.problems().add(tls.path(), "cannot build the TLS context: " + e.getMessage());
      }
    }
    return settings;
  }

  private static Optional<Path> file(ConfigNode node, String key) {
    Optional<String> s = node.string(key);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Path p = Path.of(s.get().trim());
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      node.problems().add(node.path(key), "file does not exist or is not readable", s.get());
      return Optional.empty();
    }
    return Optional.of(p);
  }
}
