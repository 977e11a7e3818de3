package io.atelier.connector.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the socket factory for {@code ssl://} from PEM files, the format brokers (Mosquitto, EMQX,
 * HiveMQ) and {@code openssl} produce, so nobody has to build Java key stores.
 */
final class TlsContexts {

  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private TlsContexts() {}

  static SSLSocketFactory socketFactory(TlsSettings tls)
      throws IOException, GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (tls.caFile().isPresent()) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      List<Certificate> cas = certificates(tls.caFile().get());
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca-" + i, cas.get(i));
      }
      tmf.init(trust);
    } else {
      tmf.init((KeyStore) null);
    }
    KeyManagerFactory kmf = null;
    if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
      List<Certificate> chain = certificates(tls.certFile().get());
      PrivateKey key = privateKey(tls.keyFile().get());
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, NO_PASSWORD);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx.getSocketFactory();
  }

  private static List<Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Collection<? extends Certificate> certs =
        cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
    if (certs.isEmpty()) {
      throw new GeneralSecurityException(file + " holds no PEM certificate");
    }
    return new ArrayList<>(certs);
  }

  private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new GeneralSecurityException(
          file
              + " holds no unencrypted PKCS#8 key ('BEGIN PRIVATE KEY'); convert it with"
              + " 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException wrongAlgorithm) {
        // try the next one
      }
    }
    throw new GeneralSecurityException(file + ": unsupported private key (RSA, EC, Ed25519 only)");
  }
}
