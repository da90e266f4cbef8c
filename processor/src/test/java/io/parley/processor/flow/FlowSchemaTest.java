package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parley.runtime.docs.SchemaAgreement;
import io.parley.schemas.BackendStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/schemas/flow.schema.json, the schema editors check flow files with, agrees with the
 * processor's {@link FlowLoader}: the demo and example flows follow it, a flow with every key it
 * lists loads, and a key it does not list is refused by the loader as unknown.
 */
class FlowSchemaTest {

    private static final Path REPOSITORY = SchemaAgreement.repository();
    private static final SchemaAgreement SCHEMA = new SchemaAgreement(REPOSITORY.resolve("docs/schemas/flow.schema.json"));
    private static final Path EVERY_KEY = Path.of("src/test/resources/schemas/every-flow-key.yaml");
    private static final FlowLoader LOADER = new FlowLoader(new TemplateCompiler(),
            new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path temp;

    @Test
    void everyDemoAndExampleFlowFileFollowsTheSchemaAndNamesIt() throws IOException {
        // Given the shipped demo flows and the flows of examples/
        List<Path> files = flowFiles();
        assertThat(files).as("flow files found").hasSizeGreaterThanOrEqualTo(1);

        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);

            // Then each follows the schema, and tells editors where it is
            assertThat(SCHEMA.violations(text)).as("%s against flow.schema.json", REPOSITORY.relativize(file)).isEmpty();
            Path schema = file.getParent().resolve(schemaLine(text)).normalize();
            assertThat(schema).as("%s: the yaml-language-server line points at the schema", REPOSITORY.relativize(file))
                    .isEqualTo(REPOSITORY.resolve("docs/schemas/flow.schema.json"));
        }
    }

    @Test
    void aFlowWithEveryKeyTheSchemaListsLoads() throws IOException {
        // Given a flow that uses every key the schema declares
        JsonNode document = YAML.readTree(EVERY_KEY.toFile());
        assertThat(SchemaAgreement.keysOf(document)).as("keys of %s", EVERY_KEY).containsAll(SCHEMA.declaredKeys());

        // Then the schema accepts it, and so does the loader
        assertThat(SCHEMA.violations(document)).isEmpty();
        assertThat(problems(document)).isEmpty();
    }

    @Test
    void aKeyTheSchemaDoesNotListIsRefusedByTheLoaderAsUnknown() throws IOException {
        // Given the flow with every key, and an unknown key added at each of its mappings in turn
        JsonNode document = YAML.readTree(EVERY_KEY.toFile());
        List<String> disagreements = new ArrayList<>();
        int refusedBySchema = 0;
        for (SchemaAgreement.Mutation mutation : SchemaAgreement.withUnknownKeyAtEveryMapping(document)) {
            if (SCHEMA.violations(mutation.document()).isEmpty()) {
                continue;   // a mapping of names the flow chooses (slots, calls, params, connectors)
            }
            refusedBySchema++;

            // When the loader reads it
            List<String> problems = problems(mutation.document());

            // Then it refuses the key as unknown, at that place
            if (problems.stream().noneMatch(p -> p.contains(SchemaAgreement.UNKNOWN_KEY) && p.contains("unknown"))) {
                disagreements.add(mutation.pointer() + ": the schema refuses the key, the loader says " + problems);
            }
        }
        assertThat(refusedBySchema).as("mappings where the schema refuses unknown keys").isGreaterThanOrEqualTo(8);
        assertThat(disagreements).isEmpty();
    }

    @Test
    void theSchemaListsAnErrorReplyForEveryFailedBackendStatus() throws IOException {
        // Given an intent with an error reply for each status a call can end with, OK aside
        for (BackendStatus status : BackendStatus.values()) {
            if (status == BackendStatus.OK) {
                continue;
            }
            String flow = """
                    intents:
                      - name: greeting
                        keywords: hello
                        reply: Hi!
                        errors:
                          %s: That did not work.
                    """.formatted(status.name());

            // Then the schema and the loader both accept it
            assertThat(SCHEMA.violations(flow)).as("the schema on errors.%s", status).isEmpty();
            assertThat(problems(YAML.readTree(flow))).as("the loader on errors.%s", status).isEmpty();
        }
    }

    @Test
    void aMistypedKeyIsUnderlinedByTheSchemaAndRefusedByTheLoader() throws IOException {
        // Given an intent with "replly" for "reply"
        String flow = """
                intents:
                  - name: greeting
                    keywords: hello
                    replly: Hi!
                """;

        // Then both name it
        assertThat(SCHEMA.violations(flow)).anySatisfy(violation -> assertThat(violation).contains("replly"));
        assertThat(problems(YAML.readTree(flow))).anySatisfy(problem -> assertThat(problem).contains("replly"));
    }

    private List<String> problems(JsonNode document) throws IOException {
        Path file = Files.writeString(Files.createTempFile(temp, "flow", ".yaml"), SchemaAgreement.text(document));
        return LOADER.check(List.of(FlowSource.file(file)), Optional.empty()).stream().map(FlowProblem::line).toList();
    }

    private static List<Path> flowFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path folder : List.of(REPOSITORY.resolve("demo/src/main/resources/flows"), REPOSITORY.resolve("examples"))) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.filter(FlowSchemaTest::isFlowFile).sorted().forEach(files::add);
            }
        }
        return files;
    }

    /** Flow files, not their conversation tests or classifier test sets; connector files live apart. */
    private static boolean isFlowFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") && !name.endsWith(".test.yaml") && !name.endsWith("-test.yaml")
                && file.getParent().getFileName().toString().equals("flows") && !file.toString().contains("/target/");
    }

    private static String schemaLine(String text) {
        String prefix = "# yaml-language-server: $schema=";
        return text.lines().filter(line -> line.startsWith(prefix)).findFirst().map(line -> line.substring(prefix.length()).strip())
                .orElse("(no '" + prefix + "' line)");
    }
}
