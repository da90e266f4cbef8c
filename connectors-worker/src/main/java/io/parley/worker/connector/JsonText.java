package io.parley.worker.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper of the connectors, and compact JSON text. */
public final class JsonText {

    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonText() {
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("A JSON tree could not be written", e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("A JSON tree could not be written", e);
        }
    }

    /** Parses JSON; an empty body is JSON {@code null}. */
    public static JsonNode read(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return MAPPER.nullNode();
        }
        return MAPPER.readTree(bytes);
    }
}
