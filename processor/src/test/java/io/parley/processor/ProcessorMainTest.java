package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: {@code parley-processor --config processor.yaml}. */
class ProcessorMainTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpNamesTheConfigOption() {
        int exitCode = run("--help");

        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("parley-processor").contains("--config=FILE");
    }

    @Test
    void configIsRequired() {
        int exitCode = run();

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void configurationErrorIsOneClearLineAndExitCodeTwo() throws IOException {
        Path config = dir.resolve("processor.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap.servers: localhost:9092
                schemaRegistry:
                  schema.registry.url: mock://main-test
                flows: [classpath:flows/demo-shop.yaml]
                conversaton:
                  deadline: 5s
                """);

        int exitCode = run("--config", config.toString());

        assertThat(exitCode).isEqualTo(ProcessorMain.CONFIGURATION_ERROR);
        assertThat(err.toString().strip())
                .isEqualTo("parley-processor: processor.yaml: conversaton: unknown key; known keys here are "
                        + "[access, admin, audit, channels, connectorCatalog, conversation, encryption, flows, inputs, kafka, limits, membership, replies, rocksdb, schemaRegistry, telemetry, topics, tracing]");
    }

    @Test
    void missingFileIsNamed() {
        int exitCode = run("--config", dir.resolve("nope.yaml").toString());

        assertThat(exitCode).isEqualTo(ProcessorMain.CONFIGURATION_ERROR);
        assertThat(err.toString()).contains("nope.yaml: no such file");
    }

    private int run(String... args) {
        CommandLine commandLine = ProcessorMain.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }
}
