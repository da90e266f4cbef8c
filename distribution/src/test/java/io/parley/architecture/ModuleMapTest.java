package io.parley.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The module map of README.md (a Mermaid diagram) shows exactly the io.parley dependencies of
 * the poms: {@code a --> b} for a compile or runtime dependency, {@code a -.-> b} for a test-only one.
 * When a pom changes, this test fails and prints the edges the diagram must have.
 */
class ModuleMapTest {

    /** Run from the module folder, as Maven does. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern EDGE = Pattern.compile("^\\s*([A-Za-z0-9_]+)\\s+(-->|-\\.->)\\s+([A-Za-z0-9_]+)\\s*$");

    @Test
    void theModuleMapShowsThePomDependencies() throws Exception {
        // Given the dependencies the poms declare
        TreeSet<String> declared = new TreeSet<>(edgesOfThePoms());

        // When the diagram of README.md is read
        TreeSet<String> drawn = new TreeSet<>(edgesOfTheDiagram());

        // Then they are the same
        assertThat(drawn).as("README.md module map; its edges should be:%n%s%n", String.join("\n", declared))
                .isEqualTo(declared);
    }

    @Test
    void aTestOnlyDependencyIsDrawnDotted() throws Exception {
        // Given the poms
        List<String> edges = edgesOfThePoms();

        // Then the end-to-end tests use the services with test scope only, and the processor runtime at compile scope
        assertThat(edges).contains("e2e -.-> processor", "processor --> runtime");
    }

    @Test
    void productionModulesUseTheDemoInTheirTestsOnly() throws Exception {
        // Given the poms
        List<String> edges = edgesOfThePoms();

        // Then no production module has the demo shop at compile or runtime scope (its flows, SQL and connector
        // files would ship in the service), while the processor's tests may load the demo flows
        for (String module : List.of("schemas", "runtime", "processor", "connectors_worker", "gateway", "bridge", "mcp",
                "analytics")) {
            assertThat(edges).as(module + "'s pom").doesNotContain(module + " --> demo");
        }
        assertThat(edges).contains("local --> demo", "processor -.-> demo");
    }

    /** Mermaid node ids: the module folder with {@code _} for {@code -}. */
    static String id(String module) {
        return module.replace('-', '_');
    }

    static List<String> edgesOfThePoms() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Map<String, String> moduleOfArtifact = new TreeMap<>();
        List<String> modules = new ArrayList<>();
        NodeList moduleNodes = parent.getElementsByTagName("module");
        for (int i = 0; i < moduleNodes.getLength(); i++) {
            String module = moduleNodes.item(i).getTextContent().trim();
            modules.add(module);
            moduleOfArtifact.put(child(parse(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement(), "artifactId"),
                    module);
        }
        Map<String, String> edges = new TreeMap<>();
        for (String module : modules) {
            Element project = parse(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            Element dependencies = element(project, "dependencies");
            if (dependencies == null) {
                continue;
            }
            NodeList list = dependencies.getChildNodes();
            for (int i = 0; i < list.getLength(); i++) {
                if (!(list.item(i) instanceof Element dependency) || !"io.parley".equals(child(dependency, "groupId"))) {
                    continue;
                }
                String target = moduleOfArtifact.get(child(dependency, "artifactId"));
                boolean testOnly = "test".equals(child(dependency, "scope"));
                String pair = id(module) + " " + id(target);
                // a compile dependency wins over a test one (a test-jar of a compile dependency)
                edges.merge(pair, testOnly ? "-.->" : "-->", (a, b) -> a.equals("-->") || b.equals("-->") ? "-->" : a);
            }
        }
        List<String> result = new ArrayList<>();
        edges.forEach((pair, arrow) -> {
            String[] ends = pair.split(" ");
            result.add(ends[0] + " " + arrow + " " + ends[1]);
        });
        return result;
    }

    private static List<String> edgesOfTheDiagram() throws IOException {
        String text = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        // The README's first diagram is the message flow; the module map is the one under "## Modules".
        int start = text.indexOf("```mermaid", Math.max(0, text.indexOf("\n## Modules\n")));
        assertThat(text).as("README.md has a ## Modules section").contains("\n## Modules\n");
        assertThat(start).as("README.md's Modules section has a mermaid diagram").isNotNegative();
        int end = text.indexOf("```", start + 10);
        List<String> edges = new ArrayList<>();
        for (String line : text.substring(start, end).split("\n")) {
            Matcher matcher = EDGE.matcher(line);
            if (matcher.matches()) {
                edges.add(matcher.group(1) + " " + matcher.group(2) + " " + matcher.group(3));
            }
        }
        return edges;
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static Element element(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static String child(Element parent, String name) {
        Element element = element(parent, name);
        return element == null ? null : element.getTextContent().trim();
    }
}
