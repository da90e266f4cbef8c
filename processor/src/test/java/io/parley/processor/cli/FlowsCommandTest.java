package io.parley.processor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.ConnectorOperations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** {@code parley flows validate|graph} as a user runs them: output and exit codes. */
class FlowsCommandTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void validateExitsZeroForTheDemoFlows() {
        int exit = FlowsCommand.commandLine(out, null).execute("validate", "classpath:flows/demo-shop.yaml");

        assertThat(exit).isZero();
        assertThat(output()).contains("OK: 1 flow file checked, no problems");
    }

    @Test
    void validatePrintsEveryProblemAndExitsOne() {
        int exit = FlowsCommand.commandLine(out, null).execute("validate", "classpath:flows/invalid/many-problems.yaml",
                "classpath:flows/invalid/malformed.yaml");

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("many-problems.yaml:6:16 intents[order-status].patterns[0]: bad regular expression")
                .contains("malformed.yaml:3:3: not valid YAML")
                .contains("    - name: greeting\n    ^")
                .contains("6 problems")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void validateChecksCallsAgainstConnectorFilesReadByTheGivenReader(@TempDir Path dir) throws Exception {
        Path connectors = Files.writeString(dir.resolve("connectors.yaml"), "# read by the stub reader below\n");
        FlowsValidateCommand.ConnectorReader reader = files -> {
            assertThat(files).containsExactly(connectors);
            return new ConnectorOperations(Map.of("shop-api", Map.of("getOrder", Set.of("orderId", "customerId"))));
        };

        int exit = FlowsCommand.commandLine(out, reader).execute("validate", "classpath:flows/invalid/call-parameters.yaml",
                "--connectors", connectors.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("shop-api.getOrder has no parameter 'orderNumber'");
    }

    @Test
    void validateRefusesConnectorFilesWithoutAReader() {
        assertThat(FlowsCommand.commandLine(out, null).execute("validate", "classpath:flows/demo-shop.yaml", "--connectors", "c.yaml"))
                .isEqualTo(2);
    }

    @Test
    void graphPrintsMermaidByDefaultAndWellFormedSvg() throws Exception {
        assertThat(FlowsCommand.commandLine(out, null).execute("graph", "classpath:flows/demo-shop.yaml")).isZero();
        assertThat(output()).startsWith("flowchart LR").contains("shop-api.getOrder");
        bytes.reset();

        assertThat(FlowsCommand.commandLine(out, null).execute("graph", "classpath:flows/demo-shop.yaml", "--format", "svg")).isZero();
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(output())));
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    }

    @Test
    void graphOfAnInvalidFlowSaysWhyAndExitsOne() {
        assertThat(FlowsCommand.commandLine(out, null).execute("graph", "classpath:flows/invalid/unused-slot.yaml")).isEqualTo(1);
        assertThat(output()).contains("slots.email").contains("parley flows validate");
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
