package io.atelier.connector.opcua;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.TrustListManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates server certificates and, when it refuses one, says so in words an operator can act on:
 * which certificate (subject, SHA-1 fingerprint), why, and where the rejected copy lies. Milo's own
 * validator only throws a status code deep inside the channel handshake.
 *
 * <p>Full checks ({@link ValidationCheck#ALL_OPTIONAL_CHECKS}): trust chain, validity period,
 * hostname, application URI, key usage, revocation. The 2-argument Milo validator would only log
 * expiry and hostname failures. {@code trustAll} accepts everything and is meant for training
 * rooms: it logs each accepted certificate once.
 */
final class ServerCertificateCheck implements CertificateValidator {

  private static final Logger LOG = LoggerFactory.getLogger(ServerCertificateCheck.class);

  private final CertificateValidator delegate;
  private final TrustListManager trustList;
  private final boolean trustAll;
  private final Path rejectedDir;
  private final Consumer<String> onRefused;
  private final Set<String> acceptedBlindly = ConcurrentHashMap.newKeySet();

  private ServerCertificateCheck(
      CertificateValidator delegate,
      TrustListManager trustList,
      boolean trustAll,
      Path rejectedDir,
      Consumer<String> onRefused) {
    this.delegate = delegate;
    this.trustList = trustList;
    this.trustAll = trustAll;
    this.rejectedDir = rejectedDir;
    this.onRefused = onRefused;
  }

  /** Full validation against the trust list; refused certificates go to the quarantine. */
  static ServerCertificateCheck full(
      TrustListManager trustList,
      CertificateQuarantine quarantine,
      Path rejectedDir,
      Consumer<String> onRefused) {
    return new ServerCertificateCheck(
        new DefaultClientCertificateValidator(
            trustList, ValidationCheck.ALL_OPTIONAL_CHECKS, quarantine),
        trustList,
        false,
        rejectedDir,
        onRefused);
  }

  /** Accepts every certificate (training only). */
  static ServerCertificateCheck trustAll(Path rejectedDir) {
    return new ServerCertificateCheck(null, null, true, rejectedDir, message -> {});
  }

  @Override
  public void validateCertificateChain(
      List<X509Certificate> chain, String applicationUri, String[] validHostnames)
      throws UaException {
    X509Certificate cert = chain.get(0);
    if (trustAll) {
      if (acceptedBlindly.add(CertificateStore.fingerprint(cert))) {
        LOG.warn(
            "trustAll is on: accepting server certificate {} (SHA-1 {}) without any check",
            cert.getSubjectX500Principal().getName(),
            CertificateStore.fingerprint(cert));
      }
      return;
    }
    try {
      delegate.validateCertificateChain(chain, applicationUri, validHostnames);
    } catch (UaException e) {
      // Milo reports a missing trust anchor as Bad_SecurityChecksFailed, like other failures:
      // whether the operator has to trust the certificate is answered by the trust list itself.
      boolean trusted =
          chain.stream()
              .anyMatch(
                  c ->
                      trustList.getTrustedCertificates().contains(c)
                          || trustList.getIssuerCertificates().contains(c));
      onRefused.accept(describeRefusal(cert, e.getStatusCode(), !trusted, rejectedDir));
      throw e;
    }
  }

  static String describeRefusal(
      X509Certificate cert, StatusCode status, boolean untrusted, Path rejectedDir) {
    String fingerprint = CertificateStore.fingerprint(cert);
    String why =
        untrusted
            ? "it is not trusted yet"
            : switch ((int) (status.value() & 0xFFFF0000L)) {
              case (int) StatusCodes.Bad_CertificateTimeInvalid -> "it expired or is not valid yet";
              case (int) StatusCodes.Bad_CertificateHostNameInvalid ->
                  "it does not name the host of the endpoint URL";
              case (int) StatusCodes.Bad_CertificateUriInvalid ->
                  "its application URI does not match the server's";
              case (int) StatusCodes.Bad_CertificateUseNotAllowed ->
                  "its key usage does not allow this use";
              case (int) StatusCodes.Bad_CertificateRevoked -> "it is revoked";
              default -> "validation failed";
            };
    StringBuilder sb =
        new StringBuilder("server certificate refused (")
            .append(ValueMapper.statusName(status))
            .append("): ")
            .append(why)
            .append("; subject ")
            .append(cert.getSubjectX500Principal().getName())
            .append(", SHA-1 fingerprint ")
            .append(fingerprint);
    if (untrusted) {
      sb.append("; a copy is in ")
          .append(rejectedDir)
          .append(": trust it through the gateway API (POST /api/connections/<connection>")
          .append("/certificates/")
          .append(fingerprint)
          .append("/trust) or by moving the file to trusted/certs");
    }
    return sb.toString();
  }
}
