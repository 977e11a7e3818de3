package io.atelier.gateway.http;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Server certificates a connection met (OPC UA): which are trusted and which were rejected, and
 * trusting a rejected one. Implemented over the OPC UA connector's PKI directory; {@link #NONE}
 * until it is connected (the routes answer 503).
 */
public interface CertificateTrust {

  /**
   * One certificate.
   *
   * @param thumbprint SHA-1 thumbprint in hex, the id used in the API
   * @param subject the subject's distinguished name
   * @param notAfter when it expires
   * @param status {@code trusted} or {@code rejected}
   */
  record Certificate(String thumbprint, String subject, Instant notAfter, String status) {}

  boolean available();

  /** The certificates of a connection; empty for a connection without a PKI. */
  Future<List<Certificate>> list(String connectionId);

  /** Moves a rejected certificate to the trusted ones; empty if there is no such certificate. */
  Future<Optional<Certificate>> trust(String connectionId, String thumbprint);

  CertificateTrust NONE =
      new CertificateTrust() {
        @Override
        public boolean available() {
          return false;
        }

        @Override
        public Future<List<Certificate>> list(String connectionId) {
          return Future.failedFuture(ApiError.unavailable("certificate trust is not available"));
        }

        @Override
        public Future<Optional<Certificate>> trust(String connectionId, String thumbprint) {
          return Future.failedFuture(ApiError.unavailable("certificate trust is not available"));
        }
      };
}
