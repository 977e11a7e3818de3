package io.atelier.simulator.opcua;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.server.util.HostnameUtil;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's key, certificate and trust list, all in one directory. The self-signed certificate
 * is created on first use and reused afterwards, so clients that trusted it keep trusting it after
 * a restart. Layout: {@code own/simulator.pfx}, {@code trusted/certs}, {@code trusted/crl}, {@code
 * issuer/certs}, {@code issuer/crl} (Milo's file trust list, watched for changes) and {@code
 * rejected/}.
 */
final class ServerPki implements Closeable {

  /** The application URI, also written into the certificate. */
  static final String APPLICATION_URI = "urn:atelier:simulator:opcua-server";

  private static final Logger LOG = LoggerFactory.getLogger(ServerPki.class);

  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

  /**
   * The key store only protects the key against casual reading: the simulator is a training server
   * and the password would have to sit next to the file anyway.
   */
  private static final char[] KEY_STORE_PASSWORD = "atelier-simulator".toCharArray();

  static {
    // Aes256_Sha256_RsaPss needs BouncyCastle's RSA-PSS.
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  private final FileBasedTrustListManager trustList;
  private final KeyStoreCertificateStore store;
  private final CertificateManager certificateManager;
  private final X509Certificate certificate;

  private ServerPki(
      FileBasedTrustListManager trustList,
      KeyStoreCertificateStore store,
      CertificateManager certificateManager,
      X509Certificate certificate) {
    this.trustList = trustList;
    this.store = store;
    this.certificateManager = certificateManager;
    this.certificate = certificate;
  }

  /** Opens the PKI directory, creating it and the server certificate when missing. Blocks. */
  static ServerPki open(Path pkiDir, boolean trustAllClients) throws Exception {
    Path ownDir = Files.createDirectories(pkiDir.resolve("own"));
    FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(pkiDir);
    KeyStoreCertificateStore store = null;
    try {
      CertificateQuarantine quarantine =
          FileBasedCertificateQuarantine.create(pkiDir.resolve("rejected"));
      store =
          KeyStoreCertificateStore.createAndInitialize(
              new KeyStoreCertificateStore.Settings(
                  ownDir.resolve("simulator.pfx"),
                  KEY_STORE_PASSWORD::clone,
                  alias -> KEY_STORE_PASSWORD.clone()));
      CertificateValidator validator =
          trustAllClients
              ? new TrustAllValidator()
              : new DefaultServerCertificateValidator(trustList, quarantine);
      DefaultApplicationGroup group =
          DefaultApplicationGroup.createAndInitialize(
              trustList, store, new SelfSignedFactory(), validator);
      X509Certificate certificate =
          group
              .getCertificateChain(NodeIds.RsaSha256ApplicationCertificateType)
              .map(chain -> chain[0])
              .orElseThrow(() -> new IllegalStateException("no server certificate in " + ownDir));
      LOG.info(
          "OPC UA server PKI at {} (certificate {}, trust all clients: {})",
          pkiDir,
          certificate.getSubjectX500Principal().getName(),
          trustAllClients);
      return new ServerPki(
          trustList, store, new DefaultCertificateManager(quarantine, group), certificate);
    } catch (Exception e) {
      trustList.close();
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  CertificateManager certificateManager() {
    return certificateManager;
  }

  X509Certificate certificate() {
    return certificate;
  }

  @Override
  public void close() throws IOException {
    try {
      trustList.close();
    } finally {
      store.close();
    }
  }

  /** Host names and addresses a client may use to reach this machine; written into the SAN. */
  static Set<String> localHostNames() {
    Set<String> names = new LinkedHashSet<>();
    names.add("localhost");
    names.add("127.0.0.1");
    names.add(HostnameUtil.getHostname());
    names.addAll(HostnameUtil.getHostnames("0.0.0.0", true, false));
    return names;
  }

  /** Creates the self-signed server certificate the first time the directory is used. */
  private static final class SelfSignedFactory extends RsaSha256CertificateFactory {
    @Override
    protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) throws Exception {
      SelfSignedCertificateBuilder builder =
          new SelfSignedCertificateBuilder(keyPair)
              .setCommonName("Atelier machine simulator")
              .setOrganization("Atelier")
              .setApplicationUri(APPLICATION_URI);
      for (String name : localHostNames()) {
        if (IPV4.matcher(name).matches()) {
          builder.addIpAddress(name);
        } else {
          builder.addDnsName(name);
        }
      }
      LOG.info("created a self-signed OPC UA server certificate");
      return new X509Certificate[] {builder.build()};
    }
  }

  /**
   * Accepts every client certificate. The secure channel still encrypts and signs; only the
   * question "do we know this client" is skipped, which is what a training simulator wants.
   */
  private static final class TrustAllValidator implements CertificateValidator {
    @Override
    public void validateCertificateChain(
        List<X509Certificate> chain, String applicationUri, String[] validHostNames) {
      LOG.debug(
          "accepting client certificate {} (trust all)",
          chain.isEmpty() ? "-" : chain.get(0).getSubjectX500Principal().getName());
    }
  }
}
