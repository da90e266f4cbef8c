package io.parley.runtime.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON Schema of a configuration file (docs/schemas/) next to the loader that reads such files:
 * what the schema says of a document, which keys it declares, and documents with an unknown key
 * at each mapping, so that a test can ask the loader the same question. Documents are JSON, which
 * is YAML, so the loaders read them as they are.
 */
public final class SchemaAgreement {

    /** The key no schema and no loader knows. */
    public static final String UNKNOWN_KEY = "zzNoSuchKey";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode schemaTree;
    private final Schema schema;

    /** A document changed at one place, and where (a JSON Pointer). */
    public record Mutation(String pointer, JsonNode document) {
    }

    public SchemaAgreement(Path schemaFile) {
        try {
            String text = Files.readString(schemaFile, StandardCharsets.UTF_8);
            this.schemaTree = JSON.readTree(text);
            this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(text, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's root, seen from a module folder (where Maven runs tests). */
    public static Path repository() {
        return Path.of("..").toAbsolutePath().normalize();
    }

    /** What the schema finds wrong with a YAML (or JSON) text; empty when it follows the schema. */
    public List<String> violations(String yaml) {
        return schema.validate(yaml, InputFormat.YAML).stream().map(Error::toString).toList();
    }

    public List<String> violations(JsonNode document) {
        return schema.validate(text(document), InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /** Every property name the schema declares, anywhere. */
    public Set<String> declaredKeys() {
        Set<String> keys = new TreeSet<>();
        collectDeclared(schemaTree, keys);
        return keys;
    }

    /** Every key used in a document, at any depth. */
    public static Set<String> keysOf(JsonNode document) {
        Set<String> keys = new TreeSet<>();
        collectUsed(document, keys);
        return keys;
    }

    /**
     * For every mapping of the document, a copy with {@link #UNKNOWN_KEY} added to it, its value a copy
     * of the mapping's first value (so that only the key is wrong), or a text when the mapping is empty.
     */
    public static List<Mutation> withUnknownKeyAtEveryMapping(JsonNode document) {
        List<String> pointers = new ArrayList<>();
        collectMappings(document, "", pointers);
        List<Mutation> mutations = new ArrayList<>();
        for (String pointer : pointers) {
            JsonNode copy = document.deepCopy();
            ObjectNode mapping = (ObjectNode) (pointer.isEmpty() ? copy : copy.at(pointer));
            Iterator<JsonNode> values = mapping.elements();
            mapping.set(UNKNOWN_KEY, values.hasNext() ? values.next().deepCopy() : TextNode.valueOf("x"));
            mutations.add(new Mutation(pointer.isEmpty() ? "/" : pointer, copy));
        }
        return mutations;
    }

    /** A document as JSON text. */
    public static String text(JsonNode document) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectDeclared(JsonNode node, Set<String> keys) {
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            if (properties != null && properties.isObject()) {
                properties.fieldNames().forEachRemaining(keys::add);
            }
            node.elements().forEachRemaining(child -> collectDeclared(child, keys));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectDeclared(child, keys));
        }
    }

    private static void collectUsed(JsonNode node, Set<String> keys) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                keys.add(field.getKey());
                collectUsed(field.getValue(), keys);
            }
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectUsed(child, keys));
        }
    }

    private static void collectMappings(JsonNode node, String pointer, List<String> pointers) {
        if (node.isObject()) {
            pointers.add(pointer);
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectMappings(field.getValue(), pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), pointers);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectMappings(node.get(i), pointer + "/" + i, pointers);
            }
        }
    }
}
