package io.atelier.connector.opcua;

import java.util.Optional;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;

/** How {@link ClientSession} reads a failed connection attempt: retry quietly, or call someone. */
final class SessionFailures {

  /**
   * Failures that only say the server is out of reach. Milo's own reconnect (at most 16 s apart)
   * handles them best: if the server comes back within its session timeout, the session and its
   * subscription are reactivated and the server's queued notifications are not lost.
   */
  static final Set<Long> UNREACHABLE =
      Set.of(
          StatusCodes.Bad_ConnectionRejected,
          StatusCodes.Bad_ConnectionClosed,
          StatusCodes.Bad_Timeout,
          StatusCodes.Bad_RequestTimeout,
          StatusCodes.Bad_ServerNotConnected,
          StatusCodes.Bad_NotConnected,
          StatusCodes.Bad_CommunicationError,
          StatusCodes.Bad_NoCommunication,
          StatusCodes.Bad_SecureChannelClosed,
          StatusCodes.Bad_Disconnect,
          StatusCodes.Bad_SessionClosed,
          StatusCodes.Bad_TcpInternalError);

  /** Status codes no amount of retrying fixes: an operator has to act. */
  static final Set<Long> NEEDS_OPERATOR =
      Set.of(
          StatusCodes.Bad_CertificateUntrusted,
          StatusCodes.Bad_CertificateTimeInvalid,
          StatusCodes.Bad_CertificateHostNameInvalid,
          StatusCodes.Bad_CertificateUriInvalid,
          StatusCodes.Bad_CertificateUseNotAllowed,
          StatusCodes.Bad_CertificateRevoked,
          StatusCodes.Bad_CertificateInvalid,
          StatusCodes.Bad_SecurityChecksFailed,
          StatusCodes.Bad_SecurityPolicyRejected,
          StatusCodes.Bad_SecurityModeRejected,
          StatusCodes.Bad_UserAccessDenied,
          StatusCodes.Bad_IdentityTokenInvalid,
          StatusCodes.Bad_IdentityTokenRejected,
          StatusCodes.Bad_UserSignatureInvalid,
          StatusCodes.Bad_ApplicationSignatureInvalid);

  private SessionFailures() {}

  /** Whether the failure only says the server is out of reach (no code: treat as answered). */
  static boolean unreachable(Optional<Long> code) {
    return code.isPresent() && UNREACHABLE.contains(code.get() & 0xFFFF0000L);
  }

  /** Whether retrying cannot fix it: certificates, security settings, credentials. */
  static boolean needsOperator(Optional<Long> code) {
    return code.isPresent() && NEEDS_OPERATOR.contains(code.get() & 0xFFFF0000L);
  }

  /** A one-line description: the status name and Milo's message, without wrapper exceptions. */
  static String describe(Throwable cause) {
    Throwable t = cause;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    Optional<UaException> ua = UaException.extract(t);
    if (ua.isPresent()) {
      String name = ValueMapper.statusName(ua.get().getStatusCode());
      String msg = ua.get().getMessage();
      return msg == null || msg.isBlank() || msg.contains(name) ? name : name + ": " + msg;
    }
    String msg = t.getMessage();
    return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
  }
}
