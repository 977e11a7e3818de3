package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.junit.jupiter.api.Test;

class NodeRefParserTest {

  @Test
  void parsesNamespaceUriFormAndResolvesItWithAnIndex() {
    NodeRef ref = NodeRefParser.parseNode("nsu=urn:atelier:simulator;s=Machines/cnc-01/State");

    assertThat(ref).isInstanceOf(NodeRef.Expanded.class);
    NodeRef.Expanded e = (NodeRef.Expanded) ref;
    assertThat(e.namespaceUri()).isEqualTo("urn:atelier:simulator");
    assertThat(e.identifier()).isEqualTo("s=Machines/cnc-01/State");
    assertThat(e.withIndex(Unsigned.ushort(3))).isEqualTo(new NodeId(3, "Machines/cnc-01/State"));
  }

  @Test
  void keepsSemicolonsAndEqualsInsideStringIdentifiers() {
    NodeRef.Expanded e = (NodeRef.Expanded) NodeRefParser.parseNode("nsu=http://x.org/UA/;s=a;b=c");
    assertThat(e.namespaceUri()).isEqualTo("http://x.org/UA/");
    assertThat(e.withIndex(Unsigned.ushort(2))).isEqualTo(new NodeId(2, "a;b=c"));
  }

  @Test
  void parsesEveryIdentifierTypeInTheNamespaceUriForm() {
    UUID g = UUID.fromString("09087e75-8e5e-499b-954f-f2a9603db28a");
    assertThat(
            ((NodeRef.Expanded) NodeRefParser.parseNode("nsu=urn:x;i=1001"))
                .withIndex(Unsigned.ushort(4)))
        .isEqualTo(new NodeId(4, 1001));
    assertThat(
            ((NodeRef.Expanded) NodeRefParser.parseNode("nsu=urn:x;g=" + g))
                .withIndex(Unsigned.ushort(4)))
        .isEqualTo(new NodeId(4, g));
    assertThat(NodeRefParser.parseNode("nsu=urn:x;b=AQID")).isInstanceOf(NodeRef.Expanded.class);
  }

  @Test
  void parsesIndexedAndBareForms() {
    assertThat(NodeRefParser.parseNode("ns=2;s=Temperature"))
        .isEqualTo(new NodeRef.Indexed(new NodeId(2, "Temperature"), "ns=2;s=Temperature"));
    assertThat(((NodeRef.Indexed) NodeRefParser.parseNode("i=2258")).nodeId())
        .isEqualTo(NodeIds.Server_ServerStatus_CurrentTime);
    assertThat(((NodeRef.Indexed) NodeRefParser.parseNode(" ns=7;i=5 ")).nodeId())
        .isEqualTo(new NodeId(7, 5));
  }

  @Test
  void refusesMalformedNodeIdsWithAReason() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeRefParser.parseNode("Machines/cnc-01/State"))
        .withMessageContaining("expected nsu=<namespace uri>;s=<id>");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeRefParser.parseNode("ns=2;i=twelve"))
        .withMessageContaining("must be a whole number");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeRefParser.parseNode("nsu=urn:x;g=not-a-guid"))
        .withMessageContaining("GUID");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeRefParser.parseNode("ns=70000;s=x"))
        .withMessageContaining("between 0 and 65535");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeRefParser.parseNode("nsu=urn:x;s="))
        .withMessageContaining("empty");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeRefParser.parseNode("nsu=urn:x"))
        .withMessageContaining("expected nsu=");
  }

  @Test
  void parsesBrowsePathsFromObjectsByDefault() {
    NodeRef.BrowsePath p =
        (NodeRef.BrowsePath) NodeRefParser.parsePath("Objects/Machines/cnc-01/Spindle/Speed");
    assertThat(p.start()).isEqualTo(NodeIds.ObjectsFolder);
    assertThat(p.segments())
        .extracting(NodeRef.Segment::name)
        .containsExactly("Machines", "cnc-01", "Spindle", "Speed");
    assertThat(p.segments()).allMatch(s -> s.namespaceIndex().isEmpty());

    NodeRef.BrowsePath relative = (NodeRef.BrowsePath) NodeRefParser.parsePath("/Machines/cnc-01");
    assertThat(relative.start()).isEqualTo(NodeIds.ObjectsFolder);
    assertThat(relative.segments())
        .extracting(NodeRef.Segment::name)
        .containsExactly("Machines", "cnc-01");
  }

  @Test
  void parsesBrowsePathsFromRootAndPinnedNamespaces() {
    NodeRef.BrowsePath p =
        (NodeRef.BrowsePath) NodeRefParser.parsePath("Root/Objects/2:Machines/cnc-01");
    assertThat(p.start()).isEqualTo(NodeIds.RootFolder);
    assertThat(p.segments())
        .containsExactly(
            new NodeRef.Segment(Optional.empty(), "Objects"),
            new NodeRef.Segment(Optional.of(2), "Machines"),
            new NodeRef.Segment(Optional.empty(), "cnc-01"));
    assertThat(p.segments().get(1).matches(2, "Machines")).isTrue();
    assertThat(p.segments().get(1).matches(3, "Machines")).isFalse();
    assertThat(p.segments().get(2).matches(5, "cnc-01")).isTrue();
    assertThat(((NodeRef.BrowsePath) NodeRefParser.parsePath("Types/ObjectTypes")).start())
        .isEqualTo(NodeIds.TypesFolder);
  }

  @Test
  void refusesEmptyOrDegenerateBrowsePaths() {
    for (String bad : List.of("", "/", "Objects", "Objects//Machines", "Objects/Machines/")) {
      assertThatIllegalArgumentException().as(bad).isThrownBy(() -> NodeRefParser.parsePath(bad));
    }
  }
}
