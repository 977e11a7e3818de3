package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {

  @TempDir Path pki;

  private static X509Certificate cert(String uri) throws Exception {
    KeyPair kp = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    return new SelfSignedCertificateBuilder(kp)
        .setCommonName("Test server")
        .setApplicationUri(uri)
        .addDnsName("localhost")
        .build();
  }

  @Test
  void listsTrustsAndRejectsByFingerprint() throws Exception {
    CertificateStore store = new CertificateStore(pki);
    store.createDirectories();
    X509Certificate server = cert("urn:test:server");
    // The way Milo's quarantine stores it: a name that is not the thumbprint.
    Files.write(store.rejectedDir().resolve("whatever.der"), server.getEncoded());
    List<X509Certificate> told = new ArrayList<>();
    store.onTrusted(told::add);

    assertThat(store.trusted()).isEmpty();
    CertInfo info = store.rejected().get(0);
    assertThat(info.fingerprint()).isEqualTo(CertificateStore.fingerprint(server)).hasSize(40);
    assertThat(info.sha256()).hasSize(64);
    assertThat(info.subject()).contains("CN=Test server");
    assertThat(info.applicationUri()).contains("urn:test:server");

    // Operators paste fingerprints with colons and in upper case.
    String pasted = info.fingerprint().toUpperCase(Locale.ROOT).replaceAll("(..)(?!$)", "$1:");
    assertThat(store.trust(pasted))
        .hasValueSatisfying(c -> assertThat(c.file().getParent()).isEqualTo(store.trustedDir()));
    assertThat(store.rejected()).isEmpty();
    assertThat(store.trusted())
        .extracting(CertInfo::fingerprint)
        .containsExactly(info.fingerprint());
    assertThat(store.trustedDir().resolve(info.fingerprint() + ".der")).exists();
    assertThat(told).containsExactly(server);

    assertThat(store.reject(info.sha256())).isPresent();
    assertThat(store.trusted()).isEmpty();
    assertThat(store.rejected())
        .extracting(CertInfo::fingerprint)
        .containsExactly(info.fingerprint());
  }

  @Test
  void answersEmptyForAnUnknownFingerprintAndSkipsJunkFiles() throws Exception {
    CertificateStore store = new CertificateStore(pki);
    store.createDirectories();
    Files.writeString(store.rejectedDir().resolve("notes.txt"), "not a certificate");

    assertThat(store.rejected()).isEmpty();
    assertThat(store.trust("00".repeat(20))).isEmpty();
    assertThat(store.reject("00".repeat(20))).isEmpty();
  }

  @Test
  void createsTheClientCertificateOnceAndReusesIt() throws Exception {
    ClientCertificate first = ClientCertificate.loadOrCreate(pki, "urn:atelier:gateway:test");
    ClientCertificate second = ClientCertificate.loadOrCreate(pki, "urn:atelier:gateway:test");

    assertThat(second.certificate()).isEqualTo(first.certificate());
    assertThat(second.keyPair().getPrivate().getEncoded())
        .isEqualTo(first.keyPair().getPrivate().getEncoded());
    assertThat(
            org.eclipse.milo.opcua.stack.core.util.CertificateUtil.getSanUri(first.certificate()))
        .contains("urn:atelier:gateway:test");

    // A changed application URI would be refused by servers: a new certificate is made.
    ClientCertificate renamed = ClientCertificate.loadOrCreate(pki, "urn:atelier:gateway:other");
    assertThat(renamed.certificate()).isNotEqualTo(first.certificate());
  }

  @Test
  void describesRefusedCertificatesInActionableWords() throws Exception {
    X509Certificate server = cert("urn:test:server");
    String message =
        ServerCertificateCheck.describeRefusal(
            server,
            new org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode(
                org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_SecurityChecksFailed),
            true,
            pki.resolve("rejected"));
    assertThat(message)
        .contains("Bad_SecurityChecksFailed")
        .contains("not trusted yet")
        .contains(CertificateStore.fingerprint(server))
        .contains(pki.resolve("rejected").toString())
        .contains("/certificates/" + CertificateStore.fingerprint(server) + "/trust");
  }
}
