package io.atelier.connector.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.Period;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own application instance certificate: generated once into {@code <pki>/own/} and
 * reused, so a server operator trusts it once. Regenerated only when it expired or no longer
 * carries the configured application URI (the server would refuse it anyway). Blocking file and
 * crypto work: call from a worker.
 *
 * @param keyPair the key pair
 * @param certificate the self-signed certificate
 */
public record ClientCertificate(KeyPair keyPair, X509Certificate certificate) {

  private static final Logger LOG = LoggerFactory.getLogger(ClientCertificate.class);

  static final String CERT_FILE = "client-cert.der";
  static final String KEY_FILE = "client-key.der";

  /** {@code urn:atelier:gateway:<hostname>}. */
  public static String defaultApplicationUri() {
    return "urn:atelier:gateway:" + hostname();
  }

  /** Loads the certificate from {@code <pkiDir>/own}, or creates it there. */
  public static ClientCertificate loadOrCreate(Path pkiDir, String applicationUri)
      throws IOException, GeneralSecurityException {
    Path own = pkiDir.resolve("own");
    Path certFile = own.resolve(CERT_FILE);
    Path keyFile = own.resolve(KEY_FILE);
    if (Files.isRegularFile(certFile) && Files.isRegularFile(keyFile)) {
      X509Certificate cert = readCertificate(certFile);
      PrivateKey key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
      Optional<String> uri = CertificateUtil.getSanUri(cert);
      boolean expired = cert.getNotAfter().toInstant().isBefore(Instant.now());
      if (uri.isPresent() && uri.get().equals(applicationUri) && !expired) {
        return new ClientCertificate(new KeyPair(cert.getPublicKey(), key), cert);
      }
      LOG.info(
          "Replacing client certificate {}: {}",
          certFile,
          expired
              ? "it expired"
              : "its application URI " + uri.orElse("(none)") + " is not " + applicationUri);
    }
    return create(own, certFile, keyFile, applicationUri);
  }

  private static ClientCertificate create(
      Path own, Path certFile, Path keyFile, String applicationUri)
      throws IOException, GeneralSecurityException {
    Files.createDirectories(own);
    KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    String host = hostname();
    X509Certificate cert;
    try {
      cert =
          new SelfSignedCertificateBuilder(keyPair)
              .setCommonName("Atelier gateway")
              .setOrganization("Atelier")
              .setApplicationUri(applicationUri)
              .addDnsName(host)
              .addDnsName("localhost")
              .addIpAddress("127.0.0.1")
              .setValidityPeriod(Period.ofYears(5))
              .build();
    } catch (Exception e) {
      throw new GeneralSecurityException("cannot create the client certificate: " + e, e);
    }
    writePrivate(keyFile, keyPair.getPrivate().getEncoded());
    Files.write(certFile, cert.getEncoded());
    LOG.info(
        "Created client certificate {} for {} (SHA-1 {})",
        certFile,
        applicationUri,
        CertificateStore.fingerprint(cert));
    return new ClientCertificate(keyPair, cert);
  }

  /** Reads a DER or PEM certificate. */
  public static X509Certificate readCertificate(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException(file + " is not an X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** Reads a private key: PEM (PKCS#8 or PKCS#1) or DER PKCS#8, RSA. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN")) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
          PEMParser parser = new PEMParser(r)) {
        Object o = parser.readObject();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (o instanceof PEMKeyPair kp) {
          return converter.getKeyPair(kp).getPrivate();
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        throw new IOException(file + " holds no unencrypted private key");
      }
    }
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(bytes));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not a PKCS#8 RSA private key: " + e.getMessage(), e);
    }
  }

  public Date notAfter() {
    return certificate.getNotAfter();
  }

  private static void writePrivate(Path file, byte[] content) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.write(file, content);
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
