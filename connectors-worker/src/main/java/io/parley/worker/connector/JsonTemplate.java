package io.parley.worker.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

/**
 * A JSON document (written as YAML in the connector file) whose string values may hold
 * {@code {name}} placeholders: a request body or GraphQL variables. Values are inserted into the
 * JSON tree, never spliced into JSON text, so a parameter cannot break out of its string.
 *
 * <p>A string that is exactly one placeholder may name a type: {@code "{quantity:int}"},
 * {@code "{price:number}"}, {@code "{gift:boolean}"} turn the parameter into a JSON number or
 * boolean (request parameters are strings).
 */
public final class JsonTemplate {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final JsonNode template;

    private JsonTemplate(JsonNode template) {
        this.template = template;
    }

    /**
     * Checks every string of the tree and keeps it.
     *
     * @throws IllegalArgumentException naming the JSON Pointer of a malformed value
     */
    public static JsonTemplate of(JsonNode template) {
        check(template, "");
        return new JsonTemplate(template.deepCopy());
    }

    private static void check(JsonNode node, String pointer) {
        if (node.isTextual()) {
            Matcher whole = TextTemplate.PLACEHOLDER.matcher(node.asText());
            try {
                if (whole.matches() && whole.group(2) != null) {
                    ValueType.of(whole.group(2));
                } else {
                    TextTemplate.parse(node.asText());
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException((pointer.isEmpty() ? "" : "at " + pointer + ": ") + e.getMessage(), e);
            }
        } else if (node.isObject()) {
            node.properties().forEach(entry -> check(entry.getValue(), pointer + "/" + entry.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), pointer + "/" + i);
            }
        }
    }

    /** The parameter names this template uses. */
    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>();
        collect(template, names);
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isTextual()) {
            Matcher matcher = TextTemplate.PLACEHOLDER.matcher(node.asText());
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        } else {
            node.forEach(child -> collect(child, names));
        }
    }

    /**
     * Builds the document for one request.
     *
     * @throws InvalidRequestException naming a missing parameter or one that is not of its declared type
     */
    public JsonNode render(Map<String, String> params) throws InvalidRequestException {
        return render(template, params);
    }

    private static JsonNode render(JsonNode node, Map<String, String> params) throws InvalidRequestException {
        if (node.isTextual()) {
            return renderText(node.asText(), params);
        }
        if (node.isObject()) {
            ObjectNode object = JSON.objectNode();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                object.set(entry.getKey(), render(entry.getValue(), params));
            }
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = JSON.arrayNode();
            for (JsonNode item : node) {
                array.add(render(item, params));
            }
            return array;
        }
        return node;
    }

    private static JsonNode renderText(String text, Map<String, String> params) throws InvalidRequestException {
        Matcher whole = TextTemplate.PLACEHOLDER.matcher(text);
        if (whole.matches() && whole.group(2) != null) {
            String name = whole.group(1);
            String value = params.get(name);
            if (value == null) {
                throw new InvalidRequestException("missing parameter '" + name + "'");
            }
            return ValueType.of(whole.group(2)).toJson(name, value);
        }
        return JSON.textNode(TextTemplate.parse(text).render(params, UnaryOperator.identity()));
    }

    /** The types a whole-value placeholder may convert its parameter to. */
    private enum ValueType {
        INT, NUMBER, BOOLEAN, STRING;

        static ValueType of(String suffix) {
            return switch (suffix) {
                case "int" -> INT;
                case "number" -> NUMBER;
                case "boolean" -> BOOLEAN;
                case "string" -> STRING;
                default -> throw new IllegalArgumentException("unknown placeholder type '" + suffix
                        + "'; use int, number, boolean or string");
            };
        }

        JsonNode toJson(String name, String value) throws InvalidRequestException {
            try {
                return switch (this) {
                    case INT -> JSON.numberNode(Long.parseLong(value.trim()));
                    case NUMBER -> JSON.numberNode(new BigDecimal(value.trim()));
                    case BOOLEAN -> switch (value.trim()) {
                        case "true" -> JSON.booleanNode(true);
                        case "false" -> JSON.booleanNode(false);
                        default -> throw new NumberFormatException();
                    };
                    case STRING -> JSON.textNode(value);
                };
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("parameter '" + name + "' is not a valid " + name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }
}
