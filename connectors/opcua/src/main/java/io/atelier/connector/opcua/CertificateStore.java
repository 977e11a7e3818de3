package io.atelier.connector.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server certificates a gateway trusts and the ones it rejected, as files under the PKI
 * directory: {@code trusted/certs/} (watched by Milo's trust list) and {@code rejected/} (where the
 * validator puts every certificate it refused). Trusting moves a file from rejected to trusted;
 * rejecting moves it back. Every call touches the disk: call it from a worker, not an event loop.
 *
 * <p>Fingerprints are SHA-1 thumbprints in hex (colons and case ignored); a SHA-256 fingerprint is
 * accepted too.
 */
public final class CertificateStore {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

  private final Path trustedDir;
  private final Path rejectedDir;
  private final List<Consumer<X509Certificate>> trustListeners = new CopyOnWriteArrayList<>();

  public CertificateStore(Path pkiDir) {
    this.trustedDir = pkiDir.resolve("trusted").resolve("certs");
    this.rejectedDir = pkiDir.resolve("rejected");
  }

  public Path trustedDir() {
    return trustedDir;
  }

  public Path rejectedDir() {
    return rejectedDir;
  }

  /** Creates the directories if they are missing. */
  public void createDirectories() throws IOException {
    Files.createDirectories(trustedDir);
    Files.createDirectories(rejectedDir);
  }

  public List<CertInfo> trusted() {
    return list(trustedDir);
  }

  public List<CertInfo> rejected() {
    return list(rejectedDir);
  }

  /**
   * Trusts a rejected certificate: moves it to the trusted folder, where the trust list picks it
   * up, and tells the listeners (a connector then retries at once instead of waiting for its
   * backoff).
   *
   * @return the certificate, or empty if no rejected certificate has this fingerprint
   */
  public Optional<CertInfo> trust(String fingerprint) {
    Optional<Entry> moved = move(fingerprint, rejectedDir, trustedDir);
    moved.ifPresent(
        e -> {
          LOG.info("Trusted server certificate {} ({})", e.info.fingerprint(), e.info.subject());
          trustListeners.forEach(l -> l.accept(e.cert));
        });
    return moved.map(Entry::info);
  }

  /**
   * Withdraws trust: moves a trusted certificate to the rejected folder.
   *
   * @return the certificate, or empty if no trusted certificate has this fingerprint
   */
  public Optional<CertInfo> reject(String fingerprint) {
    Optional<Entry> moved = move(fingerprint, trustedDir, rejectedDir);
    moved.ifPresent(
        e ->
            LOG.info(
                "Rejected server certificate {} ({})", e.info.fingerprint(), e.info.subject()));
    return moved.map(Entry::info);
  }

  /** Tells {@code listener} of every certificate {@link #trust} moved to the trusted folder. */
  public void onTrusted(Consumer<X509Certificate> listener) {
    trustListeners.add(listener);
  }

  public void removeTrustListener(Consumer<X509Certificate> listener) {
    trustListeners.remove(listener);
  }

  /** Describes a certificate as this store would list it. */
  public static CertInfo describe(X509Certificate cert, Path file) {
    try {
      byte[] der = cert.getEncoded();
      return new CertInfo(
          hex(digest("SHA-1", der)),
          hex(digest("SHA-256", der)),
          cert.getSubjectX500Principal().getName(),
          CertificateUtil.getSanUri(cert),
          cert.getNotBefore().toInstant(),
          cert.getNotAfter().toInstant(),
          file);
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }

  /** The SHA-1 thumbprint of a certificate in lower-case hex. */
  public static String fingerprint(X509Certificate cert) {
    try {
      return hex(digest("SHA-1", cert.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }

  private Optional<Entry> move(String fingerprint, Path from, Path to) {
    String wanted = fingerprint.replace(":", "").trim().toLowerCase(Locale.ROOT);
    for (Entry e : entries(from)) {
      if (e.info.fingerprint().equals(wanted) || e.info.sha256().equals(wanted)) {
        try {
          Files.createDirectories(to);
          // Named like Milo's trust list names its own files, so the two never duplicate.
          Path target = to.resolve(e.info.fingerprint() + ".der");
          Path tmp = to.resolve(e.info.fingerprint() + ".der.tmp");
          Files.write(tmp, e.cert.getEncoded());
          try {
            Files.move(
                tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException ex) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
          }
          // Drop every copy in the source folder (the quarantine names files differently).
          for (Entry other : entries(from)) {
            if (other.info.fingerprint().equals(e.info.fingerprint())) {
              Files.deleteIfExists(other.info.file());
            }
          }
          return Optional.of(new Entry(e.cert, describe(e.cert, target)));
        } catch (IOException | CertificateEncodingException ex) {
          throw new UncheckedIOException(
              new IOException("cannot move certificate " + wanted + " to " + to, ex));
        }
      }
    }
    return Optional.empty();
  }

  private List<CertInfo> list(Path dir) {
    List<CertInfo> out = new ArrayList<>();
    for (Entry e : entries(dir)) {
      if (out.stream().noneMatch(c -> c.fingerprint().equals(e.info.fingerprint()))) {
        out.add(e.info);
      }
    }
    return out;
  }

  private record Entry(X509Certificate cert, CertInfo info) {}

  private static List<Entry> entries(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        if (!Files.isRegularFile(f) || f.getFileName().toString().endsWith(".tmp")) {
          continue;
        }
        read(f).ifPresent(cert -> out.add(new Entry(cert, describe(cert, f))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return out;
  }

  private static Optional<X509Certificate> read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Optional.of(
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    } catch (IOException | CertificateException | ClassCastException e) {
      LOG.warn("Ignoring {}: not a readable X.509 certificate ({})", file, e.getMessage());
      return Optional.empty();
    }
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " missing from the JDK", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
