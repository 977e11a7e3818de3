package io.atelier.simulator.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * A plain Milo client for the simulator's tests, with its own self-signed application certificate
 * (generated once per JVM) so it can use the SignAndEncrypt endpoints.
 */
final class OpcUaTestClient {

  static final String APPLICATION_URI = "urn:atelier:test:opcua-client";

  private static final KeyPair KEY_PAIR;
  private static final X509Certificate CERTIFICATE;

  static {
    try {
      KEY_PAIR = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
      CERTIFICATE =
          new SelfSignedCertificateBuilder(KEY_PAIR)
              .setCommonName("Atelier test client")
              .setApplicationUri(APPLICATION_URI)
              .addDnsName("localhost")
              .addIpAddress("127.0.0.1")
              .build();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private OpcUaTestClient() {}

  static X509Certificate certificate() {
    return CERTIFICATE;
  }

  /** Puts the client certificate where the server's file trust list looks. */
  static void trustIn(Path pkiDir) throws IOException, CertificateEncodingException {
    Path dir = Files.createDirectories(pkiDir.resolve("trusted").resolve("certs"));
    Files.write(dir.resolve("atelier-test-client.der"), CERTIFICATE.getEncoded());
  }

  /**
   * Creates a client for the endpoint with {@code policy} (SignAndEncrypt unless None). The client
   * only trusts {@code serverCertificate}. Not yet connected.
   */
  static OpcUaClient create(
      String url,
      SecurityPolicy policy,
      IdentityProvider identity,
      X509Certificate serverCertificate)
      throws UaException {
    MessageSecurityMode mode =
        policy == SecurityPolicy.None
            ? MessageSecurityMode.None
            : MessageSecurityMode.SignAndEncrypt;
    return OpcUaClient.create(
        url,
        endpoints ->
            endpoints.stream()
                .filter(e -> e.getSecurityPolicyUri().equals(policy.getUri()))
                .filter(e -> e.getSecurityMode() == mode)
                .findFirst(),
        transport -> {},
        config ->
            config
                .setApplicationName(LocalizedText.english("Atelier test client"))
                .setApplicationUri(APPLICATION_URI)
                .setKeyPair(KEY_PAIR)
                .setCertificate(CERTIFICATE)
                .setCertificateChain(new X509Certificate[] {CERTIFICATE})
                .setCertificateValidator(
                    (chain, applicationUri, hostNames) -> {
                      if (chain.isEmpty() || !chain.get(0).equals(serverCertificate)) {
                        throw new UaException(
                            org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_CertificateUntrusted);
                      }
                    })
                .setIdentityProvider(identity)
                .setRequestTimeout(uint(10_000)));
  }

  /** Forward hierarchical children of a node. */
  static List<ReferenceDescription> children(OpcUaClient client, NodeId node) throws UaException {
    BrowseResult result =
        client.browse(
            new BrowseDescription(
                node,
                BrowseDirection.Forward,
                NodeIds.HierarchicalReferences,
                true,
                uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                uint(BrowseResultMask.All.getValue())));
    if (result.getStatusCode().isBad()) {
      throw new UaException(result.getStatusCode());
    }
    ReferenceDescription[] refs = result.getReferences();
    return refs == null ? List.of() : List.of(refs);
  }

  /**
   * Browses {@code Objects/Machines} and returns, per machine browse name, its variables keyed by
   * their node id's string identifier.
   */
  static Map<String, Map<String, NodeId>> browseMachines(OpcUaClient client) throws UaException {
    int ns = client.getNamespaceTable().getIndex(SimulatorOpcUaServer.namespaceUri()).intValue();
    NodeId machinesFolder = null;
    for (ReferenceDescription r : children(client, NodeIds.ObjectsFolder)) {
      if (r.getBrowseName().name().equals("Machines")
          && r.getBrowseName().namespaceIndex().intValue() == ns) {
        machinesFolder = r.getNodeId().toNodeIdOrThrow(client.getNamespaceTable());
      }
    }
    if (machinesFolder == null) {
      throw new AssertionError("Objects/Machines not found");
    }
    Map<String, Map<String, NodeId>> machines = new LinkedHashMap<>();
    for (ReferenceDescription m : children(client, machinesFolder)) {
      Map<String, NodeId> variables = new LinkedHashMap<>();
      collectVariables(
          client, m.getNodeId().toNodeIdOrThrow(client.getNamespaceTable()), variables);
      machines.put(m.getBrowseName().name(), variables);
    }
    return machines;
  }

  private static void collectVariables(OpcUaClient client, NodeId node, Map<String, NodeId> out)
      throws UaException {
    List<NodeId> next = new ArrayList<>();
    for (ReferenceDescription r : children(client, node)) {
      NodeId child = r.getNodeId().toNodeIdOrThrow(client.getNamespaceTable());
      if (r.getNodeClass() == NodeClass.Variable) {
        out.put(child.getIdentifier().toString(), child);
      }
      next.add(child);
    }
    for (NodeId child : next) {
      collectVariables(client, child, out);
    }
  }
}
