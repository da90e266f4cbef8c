package io.parley.processor.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.processor.flow.TableDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a record of a table's topic as a change of the table, by the table's format: a JSON object
 * is the row; an Avro record (decoded with its writer's schema from the registry) is the row; a
 * Debezium change event's {@code after} is the row and {@code op: d} deletes it. A tombstone (null
 * value) deletes the row its record key names. Pure: no Kafka types.
 *
 * <p>A row's key is its {@code key} field. A record key (used for tombstones and deletes without a
 * {@code before}) is the key itself, or a JSON object with the key field (Debezium's key, with or
 * without its schema envelope).
 */
public final class TableRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TableDefinition table;
    private final Function<byte[], String> avroToJson;

    /** @param avroToJson decodes an Avro value in the registry wire format to JSON (only used by avro tables) */
    public TableRecords(TableDefinition table, Function<byte[], String> avroToJson) {
        this.table = table;
        this.avroToJson = avroToJson;
    }

    public TableChange read(byte[] recordKey, byte[] value) {
        if (value == null) {
            return keyOfRecord(recordKey).<TableChange>map(TableChange.Delete::new)
                    .orElseGet(() -> new TableChange.Skip("tombstone-without-key"));
        }
        JsonNode node;
        try {
            node = switch (table.format()) {
                case JSON, DEBEZIUM -> JSON.readTree(value);
                case AVRO -> JSON.readTree(avroToJson.apply(value));
            };
        } catch (IOException | IllegalArgumentException e) {
            return new TableChange.Skip(table.format() == TableDefinition.TableFormat.AVRO ? "not-avro" : "not-json");
        }
        if (node == null || !node.isObject()) {
            return new TableChange.Skip("not-an-object");
        }
        return table.format() == TableDefinition.TableFormat.DEBEZIUM ? changeEvent(recordKey, node) : row(node);
    }

    private TableChange changeEvent(byte[] recordKey, JsonNode event) {
        JsonNode body = event.has("payload") && event.has("schema") ? event.get("payload") : event;
        if (body == null || body.isNull()) {
            // A Debezium event with an empty payload is the JSON form of a tombstone.
            return read(recordKey, null);
        }
        String op = body.path("op").asText("");
        if (op.equals("d")) {
            Optional<String> key = keyField(body.path("before")).or(() -> keyOfRecord(recordKey));
            return key.<TableChange>map(TableChange.Delete::new).orElseGet(() -> new TableChange.Skip("delete-without-key"));
        }
        JsonNode after = body.get("after");
        if (after == null || !after.isObject()) {
            return new TableChange.Skip("change-event-without-after");
        }
        return row(after);
    }

    private TableChange row(JsonNode row) {
        return keyField(row).<TableChange>map(key -> new TableChange.Upsert(key, (ObjectNode) row))
                .orElseGet(() -> new TableChange.Skip("row-without-key-field"));
    }

    private Optional<String> keyField(JsonNode row) {
        JsonNode key = row == null ? null : row.get(table.keyField());
        if (key == null || !(key.isTextual() || key.isNumber()) || key.asText().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(key.asText());
    }

    private Optional<String> keyOfRecord(byte[] recordKey) {
        if (recordKey == null || recordKey.length == 0) {
            return Optional.empty();
        }
        String text = new String(recordKey, StandardCharsets.UTF_8);
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isObject()) {
                JsonNode body = node.has("payload") && node.has("schema") ? node.get("payload") : node;
                return keyField(body);
            }
            if (node != null && (node.isTextual() || node.isNumber())) {
                return Optional.of(node.asText());
            }
        } catch (JsonProcessingException e) {
            // Not JSON: the key is the text itself.
        }
        return Optional.of(text.strip()).filter(key -> !key.isEmpty());
    }
}
