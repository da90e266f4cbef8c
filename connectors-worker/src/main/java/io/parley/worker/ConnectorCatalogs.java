package io.parley.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.CatalogOperation;
import io.parley.schemas.ConnectorCatalog;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.OperationVersions;
import io.parley.worker.connector.ParsedConnector;
import io.parley.worker.connector.ResponseMapping;
import io.parley.worker.connector.ResponseSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The catalog records of connector definitions ({@link ConnectorCatalog}, one per connector): what
 * the worker publishes so that the processor can check flows against the operations' response
 * schemas without reading the worker's files, and tools can list the operations and their parameters.
 * Pure: definitions, version and time in, records out.
 */
public final class ConnectorCatalogs {

    private ConnectorCatalogs() {
    }

    /** One record per connector, in the order of the files. */
    public static List<ConnectorCatalog> of(List<ParsedConnector<?>> connectors, long definitionsVersion, Instant now) {
        List<ConnectorCatalog> records = new ArrayList<>();
        for (ParsedConnector<?> connector : connectors) {
            records.add(of(connector, definitionsVersion, now));
        }
        return records;
    }

    static ConnectorCatalog of(ParsedConnector<?> connector, long definitionsVersion, Instant now) {
        Map<String, java.util.Set<String>> parameters = OperationContracts.parameters(connector.definition());
        Map<String, ResponseMapping> responses = OperationContracts.responses(connector.definition());
        Map<String, String> defaults = connector.definition().settings().defaultVersions();
        Set<String> defaultNames = Set.copyOf(defaults.values());
        String settingsHashInput = canonical(withoutOperations(connector.entry()));
        List<CatalogOperation> operations = new ArrayList<>();
        for (String name : connector.definition().operationNames()) {
            int at = name.indexOf(OperationVersions.SEPARATOR);
            String plain = at < 0 ? name : name.substring(0, at);
            String version = at < 0 ? null : name.substring(at + 1);
            ResponseMapping response = responses.getOrDefault(name, ResponseMapping.IDENTITY);
            operations.add(CatalogOperation.newBuilder()
                    .setName(name)
                    .setOperation(plain)
                    .setVersion(version)
                    .setIsDefault(defaultNames.contains(name))
                    .setParameters(List.copyOf(new TreeSet<>(parameters.getOrDefault(name, Set.of()))))
                    .setResponseSchema(response.schema().map(ResponseSchema::tree).map(JsonNode::toString).orElse(null))
                    .setResultFields(response.resultFields().map(fields -> (List<String>) List.copyOf(new TreeSet<>(fields)))
                            .orElse(null))
                    .setDefinitionHash(sha256(settingsHashInput + "\n" + canonical(operationEntry(connector.entry(), plain, version))))
                    .build());
        }
        return ConnectorCatalog.newBuilder()
                .setConnector(connector.name())
                .setType(connector.kind().type().name().toLowerCase(Locale.ROOT))
                .setOperations(operations)
                .setSourceFile(connector.file() == null ? null : fileName(connector.file()))
                .setDefinitionsVersion(definitionsVersion)
                .setPublishedAt(now)
                .build();
    }

    private static String fileName(String file) {
        Path name = Path.of(file).getFileName();
        return name == null ? file : name.toString();
    }

    private static JsonNode withoutOperations(JsonNode entry) {
        if (!(entry instanceof ObjectNode object)) {
            return entry;
        }
        ObjectNode copy = object.deepCopy();
        copy.remove(ConnectorSettings.OPERATIONS);
        return copy;
    }

    private static JsonNode operationEntry(JsonNode entry, String plain, String version) {
        JsonNode operation = entry.path(ConnectorSettings.OPERATIONS).path(plain);
        return version == null ? operation : operation.path(OperationVersions.VERSIONS).path(version);
    }

    /** JSON with every object's keys sorted, so the hash does not depend on how the file orders them. */
    static String canonical(JsonNode node) {
        return sorted(node).toString();
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), sorted(field.getValue()));
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> copy.add(sorted(item)));
            return copy;
        }
        return node;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
