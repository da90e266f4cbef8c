package io.parley.worker.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.worker.config.YamlFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseSchemaTest {

    private static final String ORDER_SCHEMA = """
            {type: object, required: [orderId, status],
             properties: {orderId: {type: string}, status: {enum: [NEW, SHIPPED]},
                          items: {type: array, items: {type: object, properties: {price: {type: number}}}},
                          notes: {type: object, additionalProperties: {type: string}}}}""";

    private static ResponseSchema schema(String yaml) {
        return ResponseSchema.from(YamlFiles.parse("connectors.yaml", "response:\n  schema: " + yaml.replace("\n", " "))
                .requiredObject("response")).orElseThrow();
    }

    private static JsonNode json(String text) throws IOException {
        return JsonText.MAPPER.readTree(text);
    }

    @Test
    void aMatchingAnswerHasNoViolations() throws IOException {
        assertThat(schema(ORDER_SCHEMA).violations(json("{\"orderId\":\"A-1\",\"status\":\"NEW\",\"items\":[{\"price\":3.5}]}")))
                .isEmpty();
    }

    @Test
    void violationsNamePointerAndKeywordButNeverTheValue() throws IOException {
        // Given an answer with a wrong status, a price that is text and a missing orderId
        JsonNode answer = json("{\"status\":\"alice@example.com\",\"items\":[{\"price\":\"4111 1111 1111 1111\"}]}");

        // When
        String violations = schema(ORDER_SCHEMA).violations(answer).orElseThrow();

        // Then each is named by where and which keyword, and no value of the answer appears
        assertThat(violations).contains("/: required (orderId)").contains("/status: enum").contains("/items/0/price: type")
                .doesNotContain("alice").doesNotContain("4111");
    }

    @Test
    void onlyTheFirstViolationsAreNamedAndTheRestCounted() throws IOException {
        ResponseSchema schema = schema("{type: array, items: {type: integer}}");

        String violations = schema.violations(json("[\"a\",\"b\",\"c\",\"d\",\"e\"]")).orElseThrow();

        assertThat(violations).isEqualTo("/0: type; /1: type; /2: type; and 2 more");
    }

    @Test
    void keysThatAreNotPlainNamesAreMaskedInPointers() throws IOException {
        // A map keyed by e-mail address: the key is data, so the pointer hides it.
        String violations = schema(ORDER_SCHEMA)
                .violations(json("{\"orderId\":\"A\",\"status\":\"NEW\",\"notes\":{\"bob@example.com\":7}}")).orElseThrow();

        assertThat(violations).isEqualTo("/notes/*: type").doesNotContain("bob");
    }

    @Test
    void aSchemaFileIsReadRelativeToTheConnectorFile(@TempDir Path dir) throws IOException {
        // Given a schema file next to the connector file
        Files.createDirectories(dir.resolve("schemas"));
        Files.writeString(dir.resolve("schemas/order.json"), "{\"type\":\"object\",\"required\":[\"orderId\"]}");
        Path connectors = dir.resolve("connectors.yaml");
        Files.writeString(connectors, "response:\n  schema: schemas/order.json\n");

        // When
        ResponseSchema schema = ResponseSchema.from(YamlFiles.read(connectors).requiredObject("response")).orElseThrow();

        // Then
        assertThat(schema.violations(json("{}"))).contains("/: required (orderId)");
    }

    @Test
    void aMissingSchemaFileStopsTheStartNamingTheEntry(@TempDir Path dir) throws IOException {
        Path connectors = dir.resolve("connectors.yaml");
        Files.writeString(connectors, "response:\n  schema: order.json\n");

        assertThatThrownBy(() -> ResponseSchema.from(YamlFiles.read(connectors).requiredObject("response")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(connectors + ": response.schema: the schema file ")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aReferenceOutsideTheSchemaIsRefused() {
        assertThatThrownBy(() -> schema("{type: object, properties: {a: {$ref: 'https://schemas.example/a.json'}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("connectors.yaml: response.schema: the $ref at /properties/a is not local; "
                        + "only references into the same schema ('#/...') are allowed");
    }

    @Test
    void aBrokenLocalReferenceStopsTheStart() {
        assertThatThrownBy(() -> schema("{$ref: '#/$defs/missing'}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("connectors.yaml: response.schema: not a usable JSON Schema");
    }

    @Test
    void aSchemaMayNameAnEarlierDialect() throws IOException {
        ResponseSchema schema = schema("{$schema: 'http://json-schema.org/draft-07/schema#', type: object, required: [a],"
                + " properties: {a: {type: integer}}}");

        assertThat(schema.violations(json("{\"a\": 1}"))).isEmpty();
        assertThat(schema.violations(json("{}"))).contains("/: required (a)");
    }

    @Test
    void aSchemaMustBeAMappingOrAFileName() {
        assertThatThrownBy(() -> schema("[1, 2]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("connectors.yaml: response.schema: must be a JSON Schema (a mapping) or the path of a schema file");
    }
}
