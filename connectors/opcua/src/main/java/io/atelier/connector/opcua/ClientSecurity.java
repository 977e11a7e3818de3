package io.atelier.connector.opcua;

import io.atelier.connector.opcua.OpcUaSettings.Identity;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a connection needs to prove who it is and to judge the server: the client certificate,
 * the trust list (watched on disk), the quarantine of rejected server certificates, the validator,
 * and the session identity. Built once per start, on a worker (disk and key generation), closed on
 * stop.
 */
final class ClientSecurity implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClientSecurity.class);

  static {
    // Aes256_Sha256_RsaPss needs RSASSA-PSS from BouncyCastle.
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  private final String applicationUri;
  private final ClientCertificate own;
  private final FileBasedTrustListManager trustList;
  private final CertificateStore store;
  private final ServerCertificateCheck validator;

  private ClientSecurity(
      String applicationUri,
      ClientCertificate own,
      FileBasedTrustListManager trustList,
      CertificateStore store,
      ServerCertificateCheck validator) {
    this.applicationUri = applicationUri;
    this.own = own;
    this.trustList = trustList;
    this.store = store;
    this.validator = validator;
  }

  /**
   * @param settings the connection's settings
   * @param pkiDir the PKI directory
   * @param onRefused told, in words, of every server certificate the validator refuses
   */
  static ClientSecurity prepare(OpcUaSettings settings, Path pkiDir, Consumer<String> onRefused)
      throws IOException, GeneralSecurityException {
    String applicationUri =
        settings.applicationUri().orElseGet(ClientCertificate::defaultApplicationUri);
    ClientCertificate own = ClientCertificate.loadOrCreate(pkiDir, applicationUri);
    CertificateStore store = new CertificateStore(pkiDir);
    store.createDirectories();
    FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(pkiDir);
    ServerCertificateCheck validator;
    if (settings.trustAll()) {
      LOG.warn(
          "trustAll is on for {}: server certificates are NOT checked (training only)",
          settings.endpoint());
      validator = ServerCertificateCheck.trustAll(store.rejectedDir());
    } else {
      FileBasedCertificateQuarantine quarantine =
          FileBasedCertificateQuarantine.create(store.rejectedDir());
      validator =
          ServerCertificateCheck.full(trustList, quarantine, store.rejectedDir(), onRefused);
    }
    return new ClientSecurity(applicationUri, own, trustList, store, validator);
  }

  String applicationUri() {
    return applicationUri;
  }

  ClientCertificate own() {
    return own;
  }

  CertificateStore store() {
    return store;
  }

  ServerCertificateCheck validator() {
    return validator;
  }

  /**
   * Makes a certificate that an operator just trusted count at once, instead of when the trust
   * list's file watcher gets to it.
   */
  void trustNow(X509Certificate certificate) {
    trustList.addTrustedCertificate(certificate);
  }

  /** The session identity for the chosen endpoint. */
  IdentityProvider identityFor(Identity identity, EndpointDescription endpoint) throws IOException {
    return switch (identity.type()) {
      case ANONYMOUS -> AnonymousProvider.INSTANCE;
      case USERNAME ->
          new UsernameProvider(
              identity.username(),
              identity.password(),
              validator,
              policies -> chooseUserTokenPolicy(policies, endpoint, identity));
      case X509 ->
          new X509IdentityProvider(
              ClientCertificate.readCertificate(identity.certFile().orElseThrow()),
              ClientCertificate.readPrivateKey(identity.keyFile().orElseThrow()));
    };
  }

  /**
   * Picks a user-name token policy that encrypts the password. Milo's UsernameProvider would send
   * it in clear when the policy resolves to None; that needs {@code allowPasswordOverNone}.
   */
  static UserTokenPolicy chooseUserTokenPolicy(
      List<UserTokenPolicy> policies, EndpointDescription endpoint, Identity identity) {
    for (UserTokenPolicy p : policies) {
      if (!SecurityPolicy.None.getUri().equals(effectivePolicyUri(p, endpoint))) {
        return p;
      }
    }
    if (identity.allowPasswordOverNone()) {
      LOG.warn(
          "Sending the password of user {} unencrypted (allowPasswordOverNone)",
          identity.username());
      return policies.get(0);
    }
    throw new IllegalStateException(
        "the server accepts user/password only unencrypted (token security policy None);"
            + " refused: set identity.allowPasswordOverNone: true to send it anyway");
  }

  private static String effectivePolicyUri(UserTokenPolicy p, EndpointDescription endpoint) {
    String uri = p.getSecurityPolicyUri();
    return uri == null || uri.isEmpty() ? endpoint.getSecurityPolicyUri() : uri;
  }

  @Override
  public void close() {
    try {
      trustList.close();
    } catch (IOException e) {
      LOG.debug("Closing the trust list failed", e);
    }
  }
}
