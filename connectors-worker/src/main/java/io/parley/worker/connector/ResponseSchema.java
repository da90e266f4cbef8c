package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * The JSON Schema an operation's backend answer must match ({@code response.schema}): written
 * inline, or as the path of a JSON or YAML file relative to the connector file. The raw answer
 * is checked before the mapping ({@code root}, {@code fields}) is applied, so the schema is the
 * backend's contract as its API documents it (an OpenAPI response schema), not Parley's view of it.
 *
 * <p>Violations are described by the answer's JSON Pointer and the schema keyword that failed,
 * never by the value: an answer may hold personal data. Pointer segments that are not plain names
 * or indexes (a map keyed by e-mail address, say) are written as {@code *}.
 *
 * <p>Only local references ({@code #/...}) are allowed, so validating never reads a file or the network.
 */
public final class ResponseSchema {

    public static final String KEY = "schema";

    /** How many violations an answer's error names; the rest are counted. */
    public static final int MAX_NAMED = 3;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]{0,63}|[0-9]{1,9}");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final JsonNode tree;
    private final Schema schema;

    private ResponseSchema(JsonNode tree, Schema schema) {
        this.tree = tree;
        this.schema = schema;
    }

    /**
     * Reads the {@code schema} entry of a {@code response:} section, when there is one.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the file, entry and field
     */
    public static Optional<ResponseSchema> from(ConfigSection section) {
        JsonNode value = section.raw(KEY);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        JsonNode tree;
        if (value.isTextual()) {
            tree = readFile(section, value.asText());
        } else if (value.isObject()) {
            tree = value;
        } else {
            throw section.error(KEY, "must be a JSON Schema (a mapping) or the path of a schema file");
        }
        return Optional.of(of(tree, section.where(KEY)));
    }

    /**
     * A schema from its tree.
     *
     * @param where how errors name the schema's place
     * @throws org.apache.kafka.common.config.ConfigException when it is not a usable schema
     */
    public static ResponseSchema of(JsonNode tree, String where) {
        if (!tree.isObject()) {
            throw new ConfigException(where + ": a JSON Schema must be a mapping");
        }
        remoteReference(tree, "").ifPresent(at -> {
            throw new ConfigException(where + ": the $ref at " + at
                    + " is not local; only references into the same schema ('#/...') are allowed");
        });
        Schema schema;
        try {
            schema = REGISTRY.getSchema(tree.toString(), InputFormat.JSON);
            // References are resolved on first use: use it once now, so a broken one fails the start.
            schema.validate("null", InputFormat.JSON);
        } catch (RuntimeException e) {
            throw new ConfigException(where + ": not a usable JSON Schema ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        return new ResponseSchema(tree.deepCopy(), schema);
    }

    private static JsonNode readFile(ConfigSection section, String name) {
        Path connectorFile = Path.of(section.file());
        Path file = connectorFile.getParent() == null ? Path.of(name) : connectorFile.getParent().resolve(name);
        try {
            return YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw section.error(KEY, "the schema file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw section.error(KEY, "the schema file " + file + " is not valid JSON or YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw section.error(KEY, "the schema file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Where the first {@code $ref} that does not start with {@code #} is, if any. */
    private static Optional<String> remoteReference(JsonNode node, String at) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.isTextual() || !ref.asText().startsWith("#"))) {
                return Optional.of(at.isEmpty() ? "/" : at);
            }
            for (var entry : node.properties()) {
                Optional<String> found = remoteReference(entry.getValue(), at + "/" + entry.getKey());
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> found = remoteReference(node.get(i), at + "/" + i);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The schema as written, for checks that read it (the fields a flow's templates may use). */
    public JsonNode tree() {
        return tree;
    }

    /**
     * The field names the schema gives the value at {@code pointer} of an answer (for an array, those
     * of its items): what a flow's templates may read of it. Empty when the schema does not say
     * (no {@code properties}, {@code additionalProperties} allowed explicitly, a pointer it does not
     * describe, a combination of schemas of which one is open).
     */
    public Optional<Set<String>> fieldsAt(JsonPointer pointer) {
        JsonNode node = resolve(tree, 0);
        JsonPointer rest = pointer;
        while (node != null && !rest.matches()) {
            String segment = rest.getMatchingProperty();
            JsonNode properties = node.path("properties");
            if (properties.has(segment)) {
                node = resolve(properties.get(segment), 0);
            } else if (rest.getMatchingIndex() >= 0 && node.path("items").isObject()) {
                node = resolve(node.get("items"), 0);
            } else {
                node = null;
            }
            rest = rest.tail();
        }
        return node == null ? Optional.empty() : fieldsOf(node, 0);
    }

    private Optional<Set<String>> fieldsOf(JsonNode node, int depth) {
        if (depth > 8) {
            return Optional.empty();
        }
        if (!node.has("properties") && node.path("items").isObject()) {
            return fieldsOf(resolve(node.get("items"), 0), depth + 1);
        }
        JsonNode additional = node.get("additionalProperties");
        if (additional != null && !(additional.isBoolean() && !additional.asBoolean())) {
            return Optional.empty();
        }
        Set<String> fields = new TreeSet<>();
        node.path("properties").fieldNames().forEachRemaining(fields::add);
        boolean described = node.has("properties");
        for (String combination : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode member : node.path(combination)) {
                Optional<Set<String>> memberFields = fieldsOf(resolve(member, 0), depth + 1);
                if (memberFields.isEmpty()) {
                    return Optional.empty();
                }
                fields.addAll(memberFields.get());
                described = true;
            }
        }
        return described ? Optional.of(Set.copyOf(fields)) : Optional.empty();
    }

    /** Follows local references ({@code #/$defs/order}) to the schema they name. */
    private JsonNode resolve(JsonNode node, int depth) {
        JsonNode ref = node.get("$ref");
        if (ref == null || depth > 8) {
            return node;
        }
        String text = ref.asText();
        JsonNode target = text.equals("#") ? tree : tree.at(text.substring(1));
        return target.isMissingNode() ? node : resolve(target, depth + 1);
    }

    /**
     * What is wrong with an answer: empty when it matches, else the first violations as
     * {@code pointer: keyword} and how many more there are.
     */
    public Optional<String> violations(JsonNode answer) {
        List<Error> errors = schema.validate(JsonText.write(answer), InputFormat.JSON);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        List<String> named = new ArrayList<>();
        for (Error error : errors.subList(0, Math.min(MAX_NAMED, errors.size()))) {
            named.add(describe(error));
        }
        String text = String.join("; ", named);
        if (errors.size() > MAX_NAMED) {
            text += "; and " + (errors.size() - MAX_NAMED) + " more";
        }
        return Optional.of(text);
    }

    private static String describe(Error error) {
        String where = pointer(error.getInstanceLocation());
        String keyword = error.getKeyword() == null ? "invalid" : error.getKeyword();
        // A required property is named by the schema, so naming it discloses nothing of the answer.
        if ("required".equals(keyword) && error.getProperty() != null) {
            return where + ": required (" + segment(error.getProperty()) + ")";
        }
        return where + ": " + keyword;
    }

    /** An RFC 6901 pointer to where the answer failed, with segments that are not plain names masked. */
    static String pointer(NodePath path) {
        if (path == null || path.getNameCount() == 0) {
            return "/";
        }
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            pointer.append('/').append(segment(String.valueOf(path.getElement(i))));
        }
        return pointer.toString();
    }

    private static String segment(String name) {
        return PLAIN_SEGMENT.matcher(name).matches() ? name : "*";
    }
}
