package io.parley.registry.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.serde.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confluent's own Python {@code SchemaRegistryClient} (Debian's python3-confluent-kafka, which
 * .ci/run installs with python3-requests) against the registry: the script under
 * {@code /python/registry_client.py} makes the calls and prints what it got back.
 */
class ConfluentPythonClientIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private final String scope = "python-client-" + UUID.randomUUID();
    private final EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.start(InMemorySchemaRegistry.forScope(scope));

    @TempDir
    Path temp;

    @AfterEach
    void stop() {
        server.close();
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void confluentsPythonClientRegistersLooksUpChecksConfiguresAndDeletes() throws Exception {
        requirePythonClient();

        Map<String, String> results = runScript();

        assertThat(results).containsEntry("register.v1.id", "1")
                .containsEntry("register.v1.again.id", "1")
                .containsEntry("get_schema.type", "AVRO")
                .containsEntry("get_schema.same", "True")
                .containsEntry("get_schema.unknown", "404/40403")
                .containsEntry("test_compatibility.compatible", "True")
                .containsEntry("test_compatibility.incompatible", "False")
                .containsEntry("test_compatibility.version1", "True")
                .containsEntry("register.incompatible", "409/409")
                .containsEntry("register.v2.id", "2")
                .containsEntry("get_latest_version", "python-greetings-value/2/2")
                .containsEntry("get_version.1", "1")
                .containsEntry("get_versions", "[1, 2]")
                .containsEntry("get_subjects", "['python-greetings-value']")
                .containsEntry("lookup_schema", "python-greetings-value/1/1")
                .containsEntry("lookup_schema.unregistered", "404/40403")
                .containsEntry("lookup_schema.unknown_subject", "404/40401")
                .containsEntry("get_compatibility.global", "BACKWARD")
                .containsEntry("get_compatibility.subject_unset", "404/40408")
                .containsEntry("set_compatibility.subject", "{'compatibility': 'NONE'}")
                .containsEntry("get_compatibility.subject", "NONE")
                .containsEntry("test_compatibility.incompatible_at_none", "True")
                .containsEntry("set_compatibility.global", "{'compatibility': 'FULL'}")
                .containsEntry("get_compatibility.global_after", "FULL")
                .containsEntry("set_compatibility.invalid", "422/42203")
                .containsEntry("delete_version", "1")
                .containsEntry("get_versions.after_delete", "[2]")
                .containsEntry("get_version.deleted", "404/40402")
                .containsEntry("lookup_schema.deleted", "404/40403")
                .containsEntry("get_schema.deleted_version_id", "True")
                .containsEntry("delete_version.again", "404/40406")
                .containsEntry("delete_subject", "[2]")
                .containsEntry("get_subjects.after_delete", "[]")
                .containsEntry("get_versions.deleted_subject", "404/40401")
                .containsEntry("done", "True");
        assertThat(server.registry().versions("python-greetings-value", true)).containsExactly(1, 2);
    }

    /** Fails, naming the packages, when the client is missing: CI installs it, so a skip would hide a gap. */
    private static void requirePythonClient() throws Exception {
        assertThat(Files.isExecutable(PYTHON)).as("%s exists (install python3, python3-confluent-kafka and python3-requests;"
                + " .ci/run does)", PYTHON).isTrue();
        Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import confluent_kafka.schema_registry, requests")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0)
                .as("Python's Schema Registry client is usable (install python3-confluent-kafka and python3-requests;"
                        + " .ci/run does): %s", output.strip()).isTrue();
    }

    /** Runs the script against the server; it must exit 0. Returns its "name=value" lines. */
    private Map<String, String> runScript() throws Exception {
        Path script = temp.resolve("registry_client.py");
        try (InputStream in = ConfluentPythonClientIT.class.getResourceAsStream("/python/registry_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path output = temp.resolve("registry_client.out");
        ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), script.toString(), server.url())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // The registry is on the loopback interface: a proxy configured for the build must not be asked.
        builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
        builder.environment().put("no_proxy", "127.0.0.1,localhost");
        Process process = builder.start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String printed = readQuietly(output);
        assertThat(finished).as("the Python client finished; it printed:%n%s", printed).isTrue();
        assertThat(process.exitValue()).as("the Python client's exit code; it printed:%n%s", printed).isZero();
        Map<String, String> results = new LinkedHashMap<>();
        printed.lines().filter(line -> line.contains("=")).forEach(line -> {
            int equals = line.indexOf('=');
            results.put(line.substring(0, equals), line.substring(equals + 1));
        });
        return results;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
