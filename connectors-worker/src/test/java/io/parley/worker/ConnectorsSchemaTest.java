package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.docs.SchemaAgreement;
import io.parley.worker.config.ConfigNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/schemas/connectors.schema.json, the schema editors check connector files with, agrees with
 * the worker's {@link ConnectorFiles}: the demo, deploy, tarball and example connector files follow
 * it, a file with every key it lists is read, and a key it does not list is refused as unknown.
 */
class ConnectorsSchemaTest {

    private static final Path REPOSITORY = SchemaAgreement.repository();
    private static final SchemaAgreement SCHEMA = new SchemaAgreement(REPOSITORY.resolve("docs/schemas/connectors.schema.json"));
    private static final Path EVERY_KEY = Path.of("src/test/resources/schemas/every-connector-key.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path temp;
    private ConfigVariables variables;
    private String everyKey;

    @BeforeEach
    void secrets() throws IOException {
        variables = ConfigVariables.withStandardProviders();
        Path secrets = Files.writeString(temp.resolve("secrets.properties"),
                "clientSecret=s3cret-client\napiKey=k3y\ntoken=t0ken\npassword=passw0rd\n");
        everyKey = Files.readString(EVERY_KEY, StandardCharsets.UTF_8).replace("SECRETS", secrets.toString());
    }

    @AfterEach
    void close() {
        variables.close();
    }

    @Test
    void everyShippedConnectorFileFollowsTheSchemaAndNamesIt() throws IOException {
        // Given the connector files of local mode, docker-compose, the tarball and examples/
        List<Path> files = connectorFiles();
        assertThat(files).as("connector files found").hasSizeGreaterThanOrEqualTo(3);

        for (Path file : files) {
            // (local mode's file is a template: io.parley.local.demo.DemoShopConnectors fills its @...@ placeholders)
            String text = Files.readString(file, StandardCharsets.UTF_8)
                    .replace("@jdbcUrl@", "jdbc:h2:mem:parley-shop").replace("@shopApiUrl@", "http://127.0.0.1:8090");

            // Then each follows the schema, and tells editors where it is (not the tarball's, which ships without docs/)
            assertThat(SCHEMA.violations(text)).as("%s against connectors.schema.json", REPOSITORY.relativize(file)).isEmpty();
            if (file.startsWith(REPOSITORY.resolve("distribution"))) {
                continue;
            }
            assertThat(file.getParent().resolve(schemaLine(text)).normalize())
                    .as("%s: the yaml-language-server line points at the schema", REPOSITORY.relativize(file))
                    .isEqualTo(REPOSITORY.resolve("docs/schemas/connectors.schema.json"));
        }
    }

    @Test
    void aFileWithEveryKeyTheSchemaListsIsRead() throws IOException {
        // Given a connector file that uses every key the schema declares, in every connector type and command
        JsonNode document = YAML.readTree(everyKey);
        assertThat(SchemaAgreement.keysOf(document)).as("keys of %s", EVERY_KEY).containsAll(SCHEMA.declaredKeys());

        // Then the schema accepts it, and so does the worker
        assertThat(SCHEMA.violations(document)).isEmpty();
        assertThat(ConnectorFiles.read(List.of(ConfigNode.root("every-connector-key.yaml", document)), variables)).hasSize(9);
    }

    @Test
    void aKeyTheSchemaDoesNotListIsRefusedByTheWorkerAsUnknown() throws IOException {
        // Given the file with every key, and an unknown key added at each of its mappings in turn
        JsonNode document = YAML.readTree(everyKey);
        List<String> disagreements = new ArrayList<>();
        int refusedBySchema = 0;
        for (SchemaAgreement.Mutation mutation : SchemaAgreement.withUnknownKeyAtEveryMapping(document)) {
            if (SCHEMA.violations(mutation.document()).isEmpty()) {
                continue;   // a mapping of names the file chooses (operations, headers, query, bodies, filters)
            }
            refusedBySchema++;

            // When the worker reads it
            String refusal;
            try {
                ConnectorFiles.read(List.of(ConfigNode.root("connectors.yaml", mutation.document())), variables);
                refusal = "nothing: it read the file";
            } catch (ConfigException e) {
                refusal = e.getMessage();
            }

            // Then it refuses the key as unknown
            if (!(refusal.contains(SchemaAgreement.UNKNOWN_KEY) && refusal.contains("unknown key"))) {
                disagreements.add(mutation.pointer() + ": the schema refuses the key, the worker says " + refusal);
            }
        }
        assertThat(refusedBySchema).as("mappings where the schema refuses unknown keys").isGreaterThanOrEqualTo(40);
        assertThat(disagreements).isEmpty();
    }

    @Test
    void aLiteralSecretIsUnderlinedByTheSchemaAndRefusedByTheWorker() throws IOException {
        // Given a bearer token written in the file itself
        String file = """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: https://shop.example
                    auth: {type: bearer, token: abc123}
                    operations:
                      ping: {path: /ping}
                """;

        // Then the schema flags the token, and the worker refuses it without printing it
        assertThat(SCHEMA.violations(file)).anySatisfy(violation -> assertThat(violation).contains("token"));
        try {
            ConnectorFiles.read(List.of(ConfigNode.root("connectors.yaml", YAML.readTree(file))), variables);
            throw new AssertionError("the worker read a literal secret");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("auth.token").doesNotContain("abc123");
        }
    }

    private static List<Path> connectorFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(
                REPOSITORY.resolve("local/src/main/resources/demo-shop/connectors.yaml"),
                REPOSITORY.resolve("deploy/connectors.yaml"),
                REPOSITORY.resolve("distribution/src/dist/conf/connectors.yaml")));
        Path examples = REPOSITORY.resolve("examples");
        if (Files.isDirectory(examples)) {
            try (Stream<Path> walk = Files.walk(examples)) {
                walk.filter(file -> file.getFileName().toString().endsWith("connectors.yaml")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static String schemaLine(String text) {
        String prefix = "# yaml-language-server: $schema=";
        return text.lines().filter(line -> line.startsWith(prefix)).findFirst().map(line -> line.substring(prefix.length()).strip())
                .orElse("(no '" + prefix + "' line)");
    }
}
