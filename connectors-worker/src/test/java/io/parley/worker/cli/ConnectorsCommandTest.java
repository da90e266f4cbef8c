package io.parley.worker.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.parley.worker.WireMocks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code parley connectors validate} with good and broken files (one broken example per kind of
 * error the loader reports) and {@code parley connectors call} against a WireMock backend standing
 * in for a third-party API.
 */
class ConnectorsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cr3t-t0ken-value";

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private int run(String... args) {
        return ConnectorsCommand.commandLine(out, Clock.systemUTC()).execute(args);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path shopFile() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN);
        return write("shop.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    auth: {type: bearer, token: "${directory:%s:token}"}
                    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 20ms}
                    operations:
                      getOrder:
                        default: v2
                        versions:
                          v1: {path: "/v1/orders/{orderId}"}
                          v2:
                            path: "/v2/orders/{orderId}"
                            response:
                              fields: {id: /orderId, state: /status}
                      listOrders: {path: /orders}
                """.formatted(shop.baseUrl(), dir));
    }

    @Test
    void aValidFileIsSummarisedWithItsConnectorsOperationsAndVersions() throws Exception {
        Path file = shopFile();

        int exit = run("validate", file.toString());

        assertThat(output()).contains("shop-api (http, " + file + "): getOrder@v1, getOrder@v2, listOrders; defaults: getOrder -> getOrder@v2")
                .contains("OK: 1 connector(s), 3 operation(s) (2 versioned) in 1 file(s); sha256 ")
                .doesNotContain(TOKEN);
        assertThat(exit).isZero();
    }

    static Stream<Arguments> brokenFiles() {
        String good = """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: https://shop.example
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                """;
        return Stream.of(
                Arguments.of("malformed YAML", "connectors: [\n  - name: x\n",
                        "not valid YAML: while parsing a flow node; expected the node content, but found '-' (line 2, column 3)"),
                Arguments.of("an empty file", "", "the file is empty"),
                Arguments.of("not a mapping at the top", "- a\n- b\n", "must hold a YAML mapping"),
                Arguments.of("a duplicate YAML key", good.replace("    type: http\n", "    type: http\n    type: http\n"),
                        "Duplicate field 'type'"),
                Arguments.of("an unknown top-level key", good + "extra: 1\n", "extra"),
                Arguments.of("no connectors", "connectors: []\n", "connectors: lists no connectors"),
                Arguments.of("a missing type", good.replace("    type: http\n", ""), "connectors[shop-api].type: is required"),
                Arguments.of("an unknown type", good.replace("type: http", "type: carrier-pigeon"), "connectors[shop-api].type"),
                Arguments.of("an unknown connector key", good.replace("    type: http\n", "    type: http\n    colour: red\n"),
                        "connectors[shop-api].colour: unknown key"),
                Arguments.of("no operations", good.substring(0, good.indexOf("    operations:")) + "    operations: {}\n",
                        "connectors[shop-api].operations: at least one operation is required"),
                Arguments.of("a bad duration", good.replace("    type: http\n", "    type: http\n    timeout: soon\n"),
                        "connectors[shop-api].timeout"),
                Arguments.of("a number out of range", good.replace("    type: http\n",
                        "    type: http\n    retry: {maxAttempts: 0}\n"), "connectors[shop-api].retry.maxAttempts"),
                Arguments.of("a type-specific field", good.replace("path: \"/orders/{orderId}\"", "path: \"orders\""),
                        "connectors[shop-api].operations[getOrder].path"),
                Arguments.of("a missing required field", good.replace("    baseUrl: https://shop.example\n", ""),
                        "connectors[shop-api].baseUrl"),
                Arguments.of("a version without default", good.replace("getOrder: {path: \"/orders/{orderId}\"}",
                        "getOrder:\n          versions: {v1: {path: /v1/o}, v2: {path: /v2/o}}"),
                        "connectors[shop-api].operations[getOrder].default: is required"),
                Arguments.of("a secret that cannot be resolved", good.replace("    type: http\n",
                        "    type: http\n    auth: {type: bearer, token: \"${env:PARLEY_TEST_NEVER_SET_TOKEN}\"}\n"),
                        "connectors[shop-api].auth.token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void eachKindOfProblemIsOneLineNamingTheFileAndExitsOne(String kind, String text, String expected) throws Exception {
        Path file = write("broken.yaml", text);

        int exit = run("validate", file.toString());

        List<String> lines = output().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith(file.toString()).contains(expected);
        assertThat(lines.get(1)).isEqualTo("1 problem(s) in 1 connector file(s)");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void everyProblemOfSeveralFilesAndEntriesIsReportedAtOnce() throws Exception {
        Path first = write("first.yaml", """
                connectors:
                  - name: a
                    type: http
                    baseUrl: https://a.example
                    operations: {get: {path: nope}}
                  - name: b
                    type: http
                    baseUrl: https://b.example
                    colour: red
                    operations: {get: {path: /b}}
                  - name: c
                    type: http
                    baseUrl: https://c.example
                    operations: {get: {path: /c}}
                """);
        Path second = write("second.yaml", """
                connectors:
                  - name: c
                    type: http
                    baseUrl: https://c.example
                    operations: {get: {path: /c}}
                """);
        Path missing = dir.resolve("missing.yaml");

        int exit = run("validate", first.toString(), second.toString(), missing.toString());

        List<String> lines = output().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo(missing + ": the file does not exist");
        assertThat(lines.get(1)).startsWith(first + ": connectors[a].operations[get].path");
        assertThat(lines.get(2)).startsWith(first + ": connectors[b].colour: unknown key");
        assertThat(lines.get(3)).isEqualTo(second + ": connectors[c].name: the connector name 'c' is already used in " + first);
        assertThat(lines.get(4)).isEqualTo("4 problem(s) in 3 connector file(s)");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void aCallGoesThroughAuthRetriesAndMappingAndPrintsTheMappedResult() throws Exception {
        Path file = shopFile();
        shop.stubFor(get(urlPathEqualTo("/v2/orders/1001")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        shop.stubFor(get(urlPathEqualTo("/v2/orders/1001")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(okJson("{\"orderId\": \"1001\", \"status\": \"shipped\", \"internal\": \"x\"}")));

        int exit = run("call", file.toString(), "shop-api", "getOrder", "orderId=1001");

        JsonNode printed = JSON.readTree(output());
        assertThat(printed.path("status").asText()).isEqualTo("OK");
        assertThat(printed.path("attempts").asInt()).isEqualTo(2);
        assertThat(printed.path("result")).isEqualTo(JSON.readTree("{\"id\": \"1001\", \"state\": \"shipped\"}"));
        assertThat(output()).doesNotContain(TOKEN);
        shop.verify(2, getRequestedFor(urlPathEqualTo("/v2/orders/1001")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        assertThat(exit).isZero();
    }

    @Test
    void aFailedCallPrintsItsStatusAndErrorAndExitsOne() throws Exception {
        Path file = shopFile();
        shop.stubFor(get(urlPathEqualTo("/v1/orders/404")).willReturn(aResponse().withStatus(404)));

        int exit = run("call", file.toString(), "shop-api", "getOrder@v1", "orderId=404");

        JsonNode printed = JSON.readTree(output());
        assertThat(printed.path("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(printed.path("attempts").asInt()).isEqualTo(1);
        assertThat(printed.has("result")).isFalse();
        assertThat(output()).doesNotContain(TOKEN);
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void argumentsThatAreNotParametersAreRefusedWithoutACall() throws Exception {
        Path file = shopFile();
        List<String> args = new ArrayList<>(List.of("call", file.toString(), "shop-api", "getOrder", "orderId"));

        int exit = run(args.toArray(String[]::new));

        assertThat(output()).contains("'orderId' is not a parameter; write key=value");
        assertThat(shop.getAllServeEvents()).isEmpty();
        assertThat(exit).isEqualTo(1);
    }

    @Test
    void aCallWithABrokenFilePrintsTheProblemAndMakesNoCall() throws Exception {
        Path file = write("broken.yaml", "connectors: []\n");

        int exit = run("call", file.toString(), "shop-api", "getOrder", "orderId=1");

        assertThat(output()).startsWith(file + ": connectors: lists no connectors");
        assertThat(shop.getAllServeEvents()).isEmpty();
        assertThat(exit).isEqualTo(1);
    }
}
