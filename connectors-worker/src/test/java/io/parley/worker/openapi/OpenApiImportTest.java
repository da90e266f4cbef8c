package io.parley.worker.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.ConnectorFiles;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ParsedConnector;
import io.parley.worker.http.HttpConnectorDefinition;
import io.parley.worker.http.HttpOperationDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OpenApiImportTest {

    static Path document(String name) {
        try {
            return Path.of(OpenApiImportTest.class.getResource("/openapi/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static OpenApiImport.Result generate(String name, String connector, Set<String> operations) {
        return OpenApiImport.generate(OpenApiImport.read(document(name)), name,
                new OpenApiImport.Options(connector, Optional.empty(), operations));
    }

    /** The generated file as the worker reads it, with the secrets' environment references pointed at a test value. */
    private static HttpConnectorDefinition parsed(String yaml) {
        String withSecrets = yaml.replaceAll("\\$\\{env:[A-Z_]+}", "\\${file:" + document("secrets.properties") + ":secret}");
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            List<ParsedConnector<?>> connectors = ConnectorFiles.read(List.of(YamlFiles.parse("generated.yaml", withSecrets)), variables);
            return (HttpConnectorDefinition) connectors.get(0).definition();
        }
    }

    @Test
    void aYamlDocumentWithSharedComponentsAndAnApiKeyBecomesAConnector() {
        OpenApiImport.Result result = generate("inventory-3.0.yaml", "inventory", Set.of());

        assertThat(result.yaml()).contains("    baseUrl: \"https://inventory.example.com/v2\"\n",
                "    auth: {type: apiKey, header: \"X-Inventory-Key\", value: \"${env:INVENTORY_API_KEY}\"}\n");
        HttpConnectorDefinition connector = parsed(result.yaml());
        assertThat(connector.operations()).containsOnlyKeys("getItem", "setStock", "listItems");
        HttpOperationDefinition getItem = connector.operations().get("getItem");
        assertThat(getItem.method()).isEqualTo("GET");
        assertThat(getItem.url().parameters()).containsExactly("sku", "warehouse");
        HttpOperationDefinition setStock = connector.operations().get("setStock");
        assertThat(setStock.method()).isEqualTo("PUT");
        assertThat(setStock.body()).hasValueSatisfying(body -> assertThat(body.parameters()).containsExactly("available", "warehouse"));
        assertThat(result.yaml()).contains("body: {\"available\":\"{available:int}\",\"warehouse\":\"{warehouse}\"}");
        assertThat(result.notes()).contains(
                "getItem: optional query parameter 'includeReserved' left out (add it under query: to send it always)",
                "getItem: header parameter 'X-Request-ID' is not sent (Parley sets headers and cookies per connector)",
                "setStock: optional body field 'note' left out",
                "listItems: optional query parameter 'limit' left out (add it under query: to send it always)");
    }

    @Test
    void theSuccessResponsesSchemaBecomesTheOperationsResponseSchemaWithReferencesWrittenOut() {
        OpenApiImport.Result result = generate("inventory-3.0.yaml", "inventory", Set.of("getItem"));

        // The raw answer's contract, as the document gives it (Item by $ref), for the worker to check
        assertThat(result.yaml()).contains("        response:\n          schema: {\"type\":\"object\",\"properties\":{"
                + "\"sku\":{\"type\":\"string\"},\"available\":{\"type\":\"integer\"},\"warehouse\":{\"type\":\"string\"}},"
                + "\"required\":[\"available\",\"sku\"]}\n");
        HttpOperationDefinition getItem = parsed(result.yaml()).operations().get("getItem");
        assertThat(getItem.response().schema()).isPresent();
        assertThat(getItem.response().resultFields()).contains(Set.of("sku", "available", "warehouse"));
    }

    @Test
    void aJsonDocumentWithOAuthAndTypeArraysBecomesAConnector() {
        OpenApiImport.Result result = generate("bookings-3.1.json", "bookings", Set.of());

        assertThat(result.yaml()).contains("    baseUrl: \"https://api.bookings.example/eu\"\n", "auth: {type: oauth2, tokenUrl: \"https://auth.bookings.example/oauth/token\", "
                + "clientId: \"${env:BOOKINGS_CLIENT_ID}\", clientSecret: \"${env:BOOKINGS_CLIENT_SECRET}\", "
                + "scope: \"bookings.write bookings.read\"}");
        HttpConnectorDefinition connector = parsed(result.yaml());
        // An operation without an operationId is named after its method and path.
        assertThat(connector.operations()).containsOnlyKeys("createBooking", "getBookingsBookingId", "cancelBooking", "uploadMenu");
        assertThat(result.yaml()).contains(
                "body: {\"restaurantId\":\"{restaurantId}\",\"guests\":\"{guests:int}\",\"time\":\"{time}\",\"highChair\":\"{highChair:boolean}\"}",
                "# not idempotent (POST)", "# idempotent (DELETE)");
        assertThat(result.notes()).contains(
                "the server URL has variables (https://api.bookings.example/{region}); their defaults are used: https://api.bookings.example/eu",
                "uploadMenu: the request body is not JSON (text/csv); left out");
    }

    @Test
    void chosenOperationsOnlyAndUnknownOnesAreNamed() {
        OpenApiImport.Result result = generate("inventory-3.0.yaml", "inventory", Set.of("getItem"));

        assertThat(parsed(result.yaml()).operations()).containsOnlyKeys("getItem");
        assertThatThrownBy(() -> generate("inventory-3.0.yaml", "inventory", Set.of("getItem", "deleteEverything")))
                .hasMessage("inventory-3.0.yaml: no operation with the id deleteEverything");
    }

    @Test
    void theCommandWritesTheFileAndSaysWhatItLeftOut() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine command = new CommandLine(new ImportOpenApiCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));

        int exit = command.execute(document("inventory-3.0.yaml").toString(), "--name", "inventory", "--operations", "getItem",
                "--base-url", "http://127.0.0.1:8080/v2");

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("baseUrl: \"http://127.0.0.1:8080/v2\"", "getItem");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("note: getItem: optional query parameter 'includeReserved'");
    }

    @Test
    void aFileThatIsNotOpenApiIsRefusedWithOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CommandLine(new ImportOpenApiCommand(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(document("secrets.properties").toString(), "--name", "x");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("parley connectors import-openapi: secrets.properties: not a usable OpenAPI 3 document");
    }
}
