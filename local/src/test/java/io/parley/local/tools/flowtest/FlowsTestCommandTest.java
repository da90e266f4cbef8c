package io.parley.local.tools.flowtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.local.tools.FlowsMainAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code parley flows test}: outcomes, readable diffs, JUnit XML and exit codes. */
class FlowsTestCommandTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void theDemoTestsPassAndExitZero() {
        assertThat(FlowsMainAccess.commandLine(out).execute("test", "classpath:flows/demo-shop.test.yaml")).isZero();
        assertThat(output()).contains("PASS order status with the number in the message").contains("tests passed");
    }

    @Test
    void failuresShowWhereAndWhatDifferedAndTheReportSaysSoToo(@TempDir Path reports) throws Exception {
        int exit = FlowsMainAccess.commandLine(out).execute("test", "classpath:flowtests/failing.test.yaml", "--report", reports.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(output())
                .contains("  PASS passes")
                .contains("  FAIL wrong text")
                .contains("tests[wrong text].conversation[0] (say: \"is MUG-01 in stock\")")
                .contains("1. ANSWER \"Everything is <fine> & \"dandy\"\"")
                .contains("1. ANSWER \"Sorry, I can't check the stock right now. Please try again in a moment.\"")
                .contains("  FAIL missing stub")
                .contains("no stub answers the call shop-api.getOrder {customerId=test-user, orderId=1001}")
                .contains("2 of 3 tests failed");

        Path report = reports.resolve("TEST-failing.test.yaml.xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Element suite = factory.newDocumentBuilder().parse(Files.newInputStream(report)).getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        NodeList failures = suite.getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(2);
        assertThat(failures.item(0).getTextContent()).contains("Everything is <fine> & \"dandy\"");
    }

    @Test
    void anInvalidTestFileIsNamedWithItsFieldAndExitsTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.test.yaml"), """
                flows: [classpath:flows/demo-shop.yaml]
                tests:
                  - name: bad
                    conversation:
                      - say: hello
                        wait: 2s
                """);

        assertThat(FlowsMainAccess.commandLine(out).execute("test", file.toString())).isEqualTo(2);
        assertThat(output()).contains("bad.test.yaml: tests[bad].conversation[0]").contains("exactly one of: say, sessionStart: true, wait");
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
