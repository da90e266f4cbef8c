package io.parley.processor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley flows publish} validates like {@code flows validate} and publishes nothing when a file has a problem. */
class FlowsPublishCommandTest {

    @TempDir
    Path dir;

    @Test
    void flowsWithAProblemAreNotPublished() throws Exception {
        // Given a flow file with an unknown template root; the broker address leads nowhere
        Path flow = dir.resolve("shop.yaml");
        Files.writeString(flow, """
                version: "3"
                intents:
                  - name: hello
                    keywords: [hello]
                    reply: "Hi {{usr.id}}"
                """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // When it is published
        int exit = FlowsCommand.commandLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), null)
                .execute("publish", flow.toString(), "--bootstrap-server", "127.0.0.1:1");

        // Then the problem is printed with its place, and nothing is written (exit 1, before any connection)
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(out).contains("shop.yaml:5").contains("intents[hello].reply").contains("nothing published");
    }

    @Test
    void publishNeedsABootstrapServer() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = FlowsCommand.commandLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), null)
                .execute("publish", "classpath:flows/demo-shop.yaml");
        assertThat(exit).isEqualTo(2);
    }

    @Test
    void aCleanSetThatCannotBeWrittenExitsWithTwo() throws Exception {
        Path client = dir.resolve("client.properties");
        Files.writeString(client, "max.block.ms=1000\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FlowsPublishCommand command = new FlowsPublishCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8), Clock.systemUTC());
        int exit = new picocli.CommandLine(command).execute("classpath:flows/demo-shop.yaml", "--bootstrap-server", "127.0.0.1:1",
                "--schema-registry", "mock://publish-test", "--kafka-config", client.toString());
        assertThat(exit).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("could not write to parley.flows at 127.0.0.1:1");
    }
}
