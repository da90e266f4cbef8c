package io.parley.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.config.YamlFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** mcp.yaml: the tools, their parameters from the connector files, the callers, and one-line errors naming where. */
class McpSettingsTest {

    @TempDir
    Path directory;
    private final ConfigVariables variables = ConfigVariables.withStandardProviders();
    private Path secrets;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(directory.resolve("connectors.yaml"), """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: https://shop.example
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                      addNote: {path: "/orders/{orderId}/notes", method: POST, body: {text: "{note}"}}
                  - name: cache
                    type: redis
                    url: redis://cache:6379/0
                    operations:
                      get: {command: get, key: "k:{id}"}
                """);
        secrets = Files.writeString(directory.resolve("secrets.properties"), "alice=t0ken-of-alice\n");
    }

    @AfterEach
    void close() {
        variables.close();
    }

    private McpSettings read(String tools, String callers) {
        return McpSettings.from(YamlFiles.parse("mcp.yaml", """
                kafka: {bootstrap.servers: "localhost:9092"}
                connectorFiles: [connectors.yaml]
                callers: %s
                tools: %s
                """.formatted(callers.replace("SECRETS", secrets.toString()), tools)), directory, variables);
    }

    private static final String ALICE = "[{user: alice, token: '${file:SECRETS:alice}'}]";

    @Test
    void toolsTakeTheirParametersFromTheOperationsAndCallersTheirTokens() {
        McpSettings settings = read("[{connector: shop-api, operation: addNote}]", ALICE);

        assertThat(settings.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("shop-api_addNote");
            assertThat(tool.parameters()).extracting(p -> p.name()).containsExactly("orderId", "note");
        });
        assertThat(settings.callers().user("Bearer t0ken-of-alice")).contains("alice");
        assertThat(settings.callers().user("Bearer t0ken-of-bob")).isEmpty();
        assertThat(settings.callers().user(null)).isEmpty();
        assertThat(settings.callTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.port()).isEqualTo(8095);
        assertThat(settings.bind()).isEqualTo("127.0.0.1");
    }

    @Test
    void aRedisOperationIsOfferedWithThePlaceholdersOfItsTemplates() {
        McpSettings settings = read("[{connector: cache, operation: get}]", ALICE);

        assertThat(settings.tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("cache_get");
            assertThat(tool.parameters()).extracting(p -> p.name()).containsExactly("id");
        });
    }

    @Test
    void anUnknownTopLevelKeyIsNamedWithTheKnownOnes() {
        // Given an mcp.yaml with a misspelt key
        // When it is read
        // Then the start stops naming the file and the key
        assertThatThrownBy(() -> McpSettings.from(YamlFiles.parse("mcp.yaml", """
                kafka: {bootstrap.servers: "localhost:9092"}
                connectorFile: [connectors.yaml]
                """), directory, variables))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("mcp.yaml: connectorFile: unknown key; known keys here are");
    }

    @Test
    void theSchemaRegistrySectionIsReadAndItsOldNameRefusedWithTheNewOne() {
        // Given the section under its name in every service's file
        McpSettings settings = McpSettings.from(YamlFiles.parse("mcp.yaml", """
                kafka: {bootstrap.servers: "localhost:9092"}
                schemaRegistry: {schema.registry.url: "http://registry:8081"}
                connectorFiles: [connectors.yaml]
                callers: [{user: alice, token: '${file:%s:alice}'}]
                tools: [{connector: shop-api, operation: getOrder}]
                """.formatted(secrets)), directory, variables);
        assertThat(settings.schemaRegistry()).containsEntry("schema.registry.url", "http://registry:8081");

        // When a file still says serdes, the start stops with one line naming the file, the entry and the new name
        assertThatThrownBy(() -> McpSettings.from(YamlFiles.parse("mcp.yaml", """
                kafka: {bootstrap.servers: "localhost:9092"}
                serdes: {schema.registry.url: "http://registry:8081"}
                connectorFiles: [connectors.yaml]
                """), directory, variables))
                .isInstanceOf(ConfigException.class)
                .hasMessage("mcp.yaml: serdes: is now called schemaRegistry, as in the other services' files; rename the entry");
    }

    @Test
    void kafkaNeedsBootstrapServers() {
        assertThatThrownBy(() -> McpSettings.from(YamlFiles.parse("mcp.yaml", """
                kafka: {client.id: mcp}
                connectorFiles: [connectors.yaml]
                """), directory, variables))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("mcp.yaml: kafka.bootstrap.servers: is required");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown connector | [{connector: crm, operation: get}]                 | ALICE | mcp.yaml: tools[0].connector: 'crm' is not in the connector files",
            "unknown operation | [{connector: shop-api, operation: getOrdr}]        | ALICE | mcp.yaml: tools[0].operation: 'getOrdr' is not an operation of connector 'shop-api'",
            "bad tool name     | [{name: 'get order', connector: shop-api, operation: getOrder}] | ALICE | mcp.yaml: tools[get order].name:",
            "token in the file | [{connector: shop-api, operation: getOrder}]        | [{user: bob, token: plain}] | mcp.yaml: callers[bob].token: a secret must come from a config provider",
            "no callers        | [{connector: shop-api, operation: getOrder}]        | []    | mcp.yaml: callers: lists no caller",
            "unknown tool key  | [{connector: shop-api, operation: getOrder, descripton: x}] | ALICE | mcp.yaml: tools[0].descripton: unknown key",
            "unknown caller key | [{connector: shop-api, operation: getOrder}]       | [{user: bob, token: '${file:SECRETS:alice}', role: admin}] | mcp.yaml: callers[bob].role: unknown key"})
    void mistakesStopTheStartNamingTheFileEntryAndField(String mistake, String tools, String callers, String message) {
        assertThatThrownBy(() -> read(tools.strip(), callers.strip().equals("ALICE") ? ALICE : callers.strip()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(message.strip());
    }

    private McpSettings readJwt(String jwt) {
        return McpSettings.from(YamlFiles.parse("mcp.yaml", """
                kafka: {bootstrap.servers: "localhost:9092"}
                connectorFiles: [connectors.yaml]
                jwt: %s
                tools: [{connector: shop-api, operation: getOrder}]
                """.formatted(jwt.replace("SECRETS", secrets.toString()))), directory, variables);
    }

    @Test
    void jwtCallersAloneAreEnough() throws Exception {
        Files.writeString(secrets, "jwt=an-hs256-secret-of-32-bytes-or-more!\n");

        McpSettings hs = readJwt("{algorithm: HS256, secret: '${file:SECRETS:jwt}', audience: parley-mcp}");
        McpSettings rs = readJwt("{algorithm: RS256, jwksUrl: 'https://id.example/jwks.json', audience: parley-mcp, userClaim: email}");

        assertThat(hs.callers().user("Bearer " + JwtCallersTest.hs256Token(JwtCallersTest.claims("bob",
                java.time.Instant.now().plusSeconds(60)).build(), JwtCallersTest.SECRET))).contains("bob");
        assertThat(rs.callers().user("Bearer not-a-jwt")).isEmpty();
        assertThat(hs.auditUsers().pseudonymising()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no audience     | {algorithm: HS256, secret: '${env:X}'}                         | mcp.yaml: jwt.audience: is required",
            "alg none        | {algorithm: none, audience: a}                                | mcp.yaml: jwt.algorithm: 'none' is not accepted; allowed are HS256 and RS256",
            "secret in file  | {algorithm: HS256, secret: plain-secret, audience: a}         | mcp.yaml: jwt.secret: a secret must come from a config provider",
            "no jwks url     | {algorithm: RS256, audience: a}                               | mcp.yaml: jwt.jwksUrl: is required for RS256",
            "secret for RS256 | {algorithm: RS256, jwksUrl: 'https://x/j', secret: '${env:X}', audience: a} | mcp.yaml: jwt.secret: is for HS256",
            "unknown key     | {algorithm: HS256, audience: a, audiance: b}                  | mcp.yaml: jwt.audiance: unknown key"})
    void jwtMistakesStopTheStartNamingTheField(String mistake, String jwt, String message) {
        assertThatThrownBy(() -> readJwt(jwt.strip())).isInstanceOf(ConfigException.class).hasMessageStartingWith(message.strip());
    }
}
