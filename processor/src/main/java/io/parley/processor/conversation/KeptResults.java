package io.parley.processor.conversation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.processor.flow.FlowCatalog;
import java.util.Optional;
import java.util.Set;

/**
 * What a session keeps of a backend's answer: the top-level fields the intent reads
 * ({@link FlowCatalog#resultFields}), at most {@code maxResultBytes} of them. A backend decides
 * how much it sends; the flow decides how much is kept.
 */
final class KeptResults {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FlowCatalog flows;
    private final int maxResultBytes;

    KeptResults(FlowCatalog flows, int maxResultBytes) {
        this.flows = flows;
        this.maxResultBytes = maxResultBytes;
    }

    /**
     * The result as the session keeps it; empty when even the fields the flow reads are larger
     * than allowed.
     */
    Optional<String> keep(String intent, String call, String json) {
        if (json == null || json.isBlank()) {
            return Optional.of("{}");
        }
        Optional<Set<String>> fields = flows.resultFields(intent, call);
        String kept = fields.map(wanted -> only(wanted, json)).orElse(json);
        return utf8Length(kept) <= maxResultBytes ? Optional.of(kept) : Optional.empty();
    }

    /** The object with only the wanted fields; anything that is not a JSON object is kept as it is. */
    private static String only(Set<String> wanted, String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // Not JSON: kept as it is, and the turn fails where a template reads it, as before.
            return json;
        }
        if (node == null || !node.isObject()) {
            return json;
        }
        ObjectNode kept = MAPPER.createObjectNode();
        wanted.forEach(field -> {
            JsonNode value = node.get(field);
            if (value != null) {
                kept.set(field, value);
            }
        });
        return kept.toString();
    }

    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
