package io.parley.processor.conversation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the JSON results workers send back, for templates and profiles. */
final class ResultJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {
    }

    /**
     * A result as maps, lists, strings, numbers and booleans, ready for a template.
     *
     * @throws TurnFailedException when the text is not JSON
     */
    static Object parse(String call, String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            // The message would quote the backend's data; name the call only.
            throw new TurnFailedException("the result of call '" + call + "' is not JSON");
        }
    }

    /** The top-level fields of a JSON object, as text (nested values as JSON); empty for anything else. */
    static Map<String, String> topLevelFields(String call, String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return fields;
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TurnFailedException("the result of call '" + call + "' is not JSON");
        }
        if (node.isObject()) {
            node.properties().forEach(field -> fields.put(field.getKey(),
                    field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString()));
        }
        return fields;
    }

    /** A text field of a JSON object, if present. */
    static String textField(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static JsonNode tree(String call, String json) {
        try {
            return MAPPER.readTree(json == null ? "{}" : json);
        } catch (JsonProcessingException e) {
            throw new TurnFailedException("the result of call '" + call + "' is not JSON");
        }
    }
}
