package io.parley.processor.flow.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.CallDefinition;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.IntentDefinition;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.flow.Timing;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class FlowGraphTest {

    private static final FlowLoader LOADER = new FlowLoader(new TemplateCompiler(), new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true));
    private static final FlowCatalog DEMO = LOADER.load(List.of(FlowSource.classpath("flows/demo-shop.yaml")));

    @Test
    void theDemoGraphHasEveryIntentCallOperationAndErrorReply() {
        FlowGraph graph = FlowGraph.of(DEMO);

        Set<String> labels = graph.nodes().stream().map(FlowGraph.Node::label).collect(Collectors.toSet());
        for (IntentDefinition intent : DEMO.intents()) {
            assertThat(labels).contains(intent.title() + " (" + intent.name() + ")");
            intent.steps().forEach(step -> step.calls().forEach(call -> assertThat(labels)
                    .contains("call " + call.name(), call.connector() + "." + call.operation())));
            intent.slots().keySet().forEach(slot -> assertThat(labels).contains("slot " + slot));
            intent.errorReplies().keySet().forEach(status -> assertThat(labels).contains(status));
        }
        // shop-api.getOrder is used by two intents and drawn once.
        assertThat(graph.nodes()).filteredOn(node -> node.label().equals("shop-api.getOrder")).hasSize(1);
        // stock-check's two calls run in parallel from one step.
        assertThat(graph.edges()).filteredOn(edge -> edge.label().equals("parallel")).hasSize(2);
        assertThat(graph.edges()).allSatisfy(edge -> assertThat(graph.nodes()).extracting(FlowGraph.Node::id)
                .contains(edge.from(), edge.to()));
    }

    @Test
    void mermaidAndDotNameEveryOperation() {
        FlowGraph graph = FlowGraph.of(DEMO);
        String mermaid = MermaidRenderer.render(graph);
        String dot = DotRenderer.render(graph);

        for (CallDefinition call : calls(DEMO)) {
            assertThat(mermaid).contains(call.connector() + "." + call.operation());
            assertThat(dot).contains("\"" + call.connector() + "." + call.operation() + "\"");
        }
        assertThat(mermaid).startsWith("flowchart LR\n").contains("-->|\"NOT_FOUND\"|");
        assertThat(dot).startsWith("digraph flows {").endsWith("}\n").contains("rankdir=LR");
    }

    @Test
    void svgIsWellFormedXmlWithABoxForEveryNode() throws Exception {
        FlowGraph graph = FlowGraph.of(DEMO);

        Document svg = parse(SvgRenderer.render(graph));

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        NodeList boxes = (NodeList) XPathFactory.newInstance().newXPath()
                .evaluate("//*[local-name()='g'][@id]", svg, XPathConstants.NODESET);
        assertThat(boxes.getLength()).isEqualTo(graph.nodes().size());
    }

    @Test
    void aHostileIntentTitleIsEscapedInEveryFormat() throws Exception {
        String yaml = """
                intents:
                  - name: evil
                    title: "<script>alert('x')</script> & \\"quotes\\" | #1"
                    keywords: [evil]
                    reply: "<b>hi</b>"
                """;
        FlowCatalog flows = LOADER.load(List.of(new FlowSource("evil.yaml",
                () -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))));
        FlowGraph graph = FlowGraph.of(flows);

        String svg = SvgRenderer.render(graph);
        assertThat(svg).doesNotContain("<script>").contains("&lt;script&gt;").doesNotContain("<b>");
        assertThat(parse(svg).getDocumentElement().getTextContent()).contains("<script>alert('x')</script>");
        assertThat(MermaidRenderer.render(graph)).doesNotContain("<script>").contains("#lt;script#gt;");
        assertThat(DotRenderer.render(graph)).contains("\\\"quotes\\\"");
    }

    private static List<CallDefinition> calls(FlowCatalog flows) {
        return flows.intents().stream().flatMap(intent -> intent.steps().stream()).flatMap(step -> step.calls().stream()).toList();
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
