package io.atelier.connector.opcua;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator needs to decide whether to trust a certificate.
 *
 * @param fingerprint SHA-1 thumbprint in lower-case hex (the OPC UA thumbprint; the id used by
 *     {@link CertificateStore#trust} and the HTTP API)
 * @param sha256 SHA-256 fingerprint in lower-case hex, for comparing with other tools
 * @param subject the subject's distinguished name
 * @param applicationUri the application URI from the subject alternative names, if any
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param file where the certificate lies on disk
 */
public record CertInfo(
    String fingerprint,
    String sha256,
    String subject,
    Optional<String> applicationUri,
    Instant notBefore,
    Instant notAfter,
    Path file) {

  public CertInfo {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(applicationUri, "applicationUri");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(file, "file");
  }
}
