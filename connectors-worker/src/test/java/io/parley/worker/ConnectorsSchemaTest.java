package io.parley.worker;

import io.parley.runtime.config.ConfigSection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.docs.SchemaAgreement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private Path secrets;
    private Path pki;

    @BeforeEach
    void secretsAndKeys() throws IOException, GeneralSecurityException {
        variables = ConfigVariables.withStandardProviders();
        secrets = Files.writeString(temp.resolve("secrets.properties"),
                "clientSecret=s3cret-client\napiKey=k3y\ntoken=t0ken\npassword=passw0rd\n");
        // The tls: sections name real files, read and checked by the worker at start.
        pki = Files.createDirectory(temp.resolve("pki"));
        TestPki ca = TestPki.ca("Parley schema test CA");
        ca.writeCertificate(pki.resolve("ca.pem"));
        ca.writeTrustStore(pki.resolve("trust.p12"), "passw0rd");
        TestPki.Issued client = ca.client("parley-worker");
        client.writeCertificate(pki.resolve("client.pem"));
        client.writeKey(pki.resolve("client-key.pem"));
        client.writeKeyStore(pki.resolve("client.p12"), "passw0rd");
        Files.writeString(pki.resolve("invoice-v2.schema.json"), """
                {"type": "object", "required": ["invoice"], "properties": {"invoice": {"type": "object"}}}
                """);
        everyKey = Files.readString(EVERY_KEY, StandardCharsets.UTF_8)
                .replace("PKI/", pki.toString() + "/").replace("SECRETS", secrets.toString());
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
            // (local mode's files are templates: io.parley.demo.DemoShopConnectors and io.parley.local.demo.DemoPreferences fill their @...@ placeholders)
            String text = Files.readString(file, StandardCharsets.UTF_8)
                    .replace("@jdbcUrl@", "jdbc:h2:mem:parley-shop").replace("@shopApiUrl@", "http://127.0.0.1:8090")
                    .replace("@redisUrl@", "redis://127.0.0.1:6379/0").replace("@redisPassword@", "${directory:/var/lib/parley/redis:password}");

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
        assertThat(ConnectorFiles.read(List.of(ConfigSection.root("every-connector-key.yaml", document)), variables)).hasSize(10);
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
                ConnectorFiles.read(List.of(ConfigSection.root("connectors.yaml", mutation.document())), variables);
                refusal = "nothing: it read the file";
            } catch (ConfigException e) {
                refusal = e.getMessage();
            }

            // Then it refuses the key as unknown
            if (!(refusal.contains(SchemaAgreement.UNKNOWN_KEY) && refusal.contains("unknown key"))) {
                disagreements.add(mutation.pointer() + ": the schema refuses the key, the worker says " + refusal);
            }
        }
        assertThat(refusedBySchema).as("mappings where the schema refuses unknown keys").isGreaterThanOrEqualTo(60);
        assertThat(disagreements).isEmpty();
    }

    @Test
    void transportAndVersionSettingsTheWorkerRefusesAreUnderlinedByTheSchema() {
        // Given connectors whose tls:, proxy: or versioned operations break a rule of the worker's loaders,
        // as connector entries (in YAML flow style) with the field the worker must name
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{name: c, type: redis, url: 'redis://cache:6379/0', tls: {caFile: PKI/ca.pem}, operations: {g: {command: get, key: k}}}",
                "connectors[c].tls: is only used with a rediss:// URL");
        refused.put(http("tls: {caFile: PKI/ca.pem, trustStore: PKI/trust.p12}"), "tls.trustStore: set either caFile");
        refused.put(http("tls: {clientCert: PKI/client.pem}"), "tls.clientKey: is required with clientCert");
        refused.put(http("tls: {clientKey: PKI/client-key.pem}"), "tls.clientCert: is required with clientKey");
        refused.put(http("tls: {keyStore: PKI/client.p12}"), "tls.keyStorePassword: is required");
        refused.put(http("tls: {keyStore: PKI/client.p12, keyStorePassword: passw0rd}"), "tls.keyStorePassword: a secret must come from a config provider");
        refused.put(http("tls: {keyStore: PKI/client.p12, clientCert: PKI/client.pem, clientKey: PKI/client-key.pem, "
                + "keyStorePassword: '${file:SECRETS:password}'}"), "tls.keyStore: set either clientCert and clientKey");
        refused.put(http("tls: {trustStoreType: JKS}"), "tls.trustStoreType: is only used with trustStore");
        refused.put(http("tls: {keyStoreType: PKCS12}"), "tls.keyStoreType: is only used with keyStore");
        refused.put(http("tls: {minVersion: TLSv1.1}"), "tls.minVersion: 'TLSv1.1' is not one of");
        refused.put(http("proxy: {url: 'http://proxy.example:3128', username: parley}"), "proxy.password: is required with username");
        refused.put(http("proxy: {url: 'https://proxy.example:3128'}"), "proxy.url:");
        refused.put(http("proxy: {url: 'http://parley:pw@proxy.example:3128'}"), "proxy.url: the URL must not carry credentials");
        refused.put(http("proxy: {url: 'http://proxy.example:3128/path'}"), "proxy.url:");
        refused.put(http("proxy: {username: parley, password: '${file:SECRETS:password}'}"), "proxy.url: is required");
        refused.put("{name: c, type: redis, url: 'rediss://cache:6380/0', proxy: {url: 'http://proxy.example'}, "
                + "operations: {g: {command: get, key: k}}}", "connectors[c].proxy: unknown key");
        refused.put("{name: c, type: http, baseUrl: 'https://c.example', operations: {getOrder: {versions: {v1: {path: /o}}}}}",
                "operations[getOrder].default: is required with versions");
        refused.put("{name: c, type: http, baseUrl: 'https://c.example', operations: {getOrder: {default: v1, path: /o}}}",
                "default: unknown key");
        refused.put("{name: c, type: http, baseUrl: 'https://c.example', operations: {'getOrder@v2': {path: /o}}}",
                "'getOrder@v2' is not a valid operation name");
        refused.put("{name: c, type: http, baseUrl: 'https://c.example', operations: {getOrder: {default: 'v 1', versions: {'v 1': {path: /o}}}}}",
                "'v 1' is not a valid version name");
        refused.put("{name: c, type: http, baseUrl: 'https://c.example', operations: {getOrder: {path: /o, response: {schema: 42}}}}",
                "response.schema: must be a JSON Schema");

        List<String> disagreements = new ArrayList<>();
        refused.forEach((entry, expected) -> {
            String file = "connectors:\n  - " + entry.replace("PKI/", pki + "/").replace("SECRETS", secrets.toString()) + "\n";

            // When the schema and the worker read it
            List<String> violations = SCHEMA.violations(file);
            String refusal;
            try {
                ConnectorFiles.read(List.of(ConfigSection.root("connectors.yaml", YAML.readTree(file))), variables);
                refusal = "nothing: it read the file";
            } catch (ConfigException | IOException e) {
                refusal = e.getMessage();
            }

            // Then both refuse it, the worker naming the field (and never the literal password)
            if (violations.isEmpty()) {
                disagreements.add(entry + ": the schema accepts it");
            }
            if (!refusal.contains(expected) || refusal.contains("pw@") || refusal.contains("passw0rd")) {
                disagreements.add(entry + ": the worker says " + refusal + " (expected " + expected + ")");
            }
        });
        assertThat(disagreements).isEmpty();
    }

    private static String http(String section) {
        return "{name: c, type: http, baseUrl: 'https://c.example', " + section + ", operations: {ping: {path: /ping}}}";
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
            ConnectorFiles.read(List.of(ConfigSection.root("connectors.yaml", YAML.readTree(file))), variables);
            throw new AssertionError("the worker read a literal secret");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("auth.token").doesNotContain("abc123");
        }
    }

    private static List<Path> connectorFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(
                REPOSITORY.resolve("demo/src/main/resources/demo-shop/connectors.yaml"),
                REPOSITORY.resolve("demo/src/main/resources/demo-shop/preferences-connectors.yaml"),
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
