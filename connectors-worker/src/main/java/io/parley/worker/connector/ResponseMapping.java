package io.parley.worker.connector;

import io.parley.runtime.config.ConfigSection;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a backend's JSON answer into the operation's result with JSON Pointers (RFC 6901):
 * {@code root} selects the part of the answer that matters, {@code fields} (optional) picks named
 * values out of it, and {@code required} lists pointers into the result that must hold a value,
 * else the answer is {@code REJECTED} naming the missing field. With a {@code schema} (a JSON
 * Schema, see {@link ResponseSchema}) the answer is first checked against it, before any mapping:
 * an answer that does not match is {@code INVALID_RESPONSE}, naming the first violations.
 *
 * @param root where the result starts in the answer ({@code ""} = the whole answer)
 * @param fields result field name → pointer relative to {@code root}; empty keeps the root as it is
 * @param required pointers into the result that must be present and not null
 * @param schema what the backend's answer must match, when declared
 */
public record ResponseMapping(JsonPointer root, Map<String, JsonPointer> fields, List<JsonPointer> required,
                              Optional<ResponseSchema> schema) {

    public static final String ROOT = "root";
    public static final String FIELDS = "fields";
    public static final String REQUIRED = "required";

    public static final ResponseMapping IDENTITY = new ResponseMapping(JsonPointer.empty(), Map.of(), List.of(), Optional.empty());

    /** The prefix of an {@code INVALID_RESPONSE} answer's error. */
    public static final String INVALID = "the response does not match its schema: ";

    /** Reads a {@code response:} section of an operation. */
    public static ResponseMapping from(Optional<ConfigSection> section) {
        if (section.isEmpty()) {
            return IDENTITY;
        }
        ConfigSection node = section.get().allowOnly(ROOT, FIELDS, REQUIRED, ResponseSchema.KEY);
        JsonPointer root = node.string(ROOT).map(text -> pointer(node, ROOT, text)).orElse(JsonPointer.empty());
        Map<String, JsonPointer> fields = new LinkedHashMap<>();
        node.object(FIELDS).ifPresent(fieldSection -> fieldSection.keys().forEach(name ->
                fields.put(name, pointer(fieldSection, name, fieldSection.requiredString(name)))));
        List<JsonPointer> required = new ArrayList<>();
        for (String text : node.stringList(REQUIRED)) {
            required.add(pointer(node, REQUIRED, text));
        }
        // The result keeps the fields in the order they are written.
        return new ResponseMapping(root, Collections.unmodifiableMap(fields), List.copyOf(required), ResponseSchema.from(node));
    }

    private static JsonPointer pointer(ConfigSection node, String key, String text) {
        if (text.equals("/") || text.isEmpty()) {
            return JsonPointer.empty();
        }
        if (!text.startsWith("/")) {
            throw node.error(key, "'" + text + "' is not a JSON Pointer; write it like /order/status");
        }
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw node.error(key, "'" + text + "' is not a JSON Pointer: " + e.getMessage());
        }
    }

    /**
     * The top-level fields a mapped result can have, as far as the response schema says: the
     * {@code fields} when the mapping picks them, else the fields the schema gives the value at
     * {@code root}. Empty without a schema, or when the schema leaves it open.
     */
    public Optional<Set<String>> resultFields() {
        if (schema.isEmpty()) {
            return Optional.empty();
        }
        if (!fields.isEmpty()) {
            return Optional.of(Set.copyOf(fields.keySet()));
        }
        return schema.get().fieldsAt(root);
    }

    /** Maps an answer given as JSON bytes; an answer that is not JSON is {@code REJECTED}. */
    public AttemptOutcome applyJson(byte[] body) {
        JsonNode answer;
        try {
            answer = JsonText.read(body);
        } catch (java.io.IOException e) {
            return Failure.permanent(BackendStatus.REJECTED, "the response is not JSON");
        }
        return apply(answer);
    }

    /**
     * Maps a result a client library built (rows, documents, values), refusing one larger than
     * {@code maxBytes} as {@code REJECTED}.
     */
    public AttemptOutcome applyWithin(JsonNode result, long maxBytes) {
        return JsonText.bytes(result).length > maxBytes ? tooLarge(maxBytes) : apply(result);
    }

    /** The answer to a result larger than {@code maxBytes}. */
    public static Failure tooLarge(long maxBytes) {
        return Failure.permanent(BackendStatus.REJECTED, "the result is larger than " + maxBytes + " bytes");
    }

    /**
     * Checks an answer against the schema, then maps it; a violation gives an {@code INVALID_RESPONSE}
     * failure, a missing root or required field a {@code REJECTED} one naming it.
     */
    public AttemptOutcome apply(JsonNode answer) {
        if (schema.isPresent()) {
            Optional<String> violations = schema.get().violations(answer);
            if (violations.isPresent()) {
                return Failure.permanent(BackendStatus.INVALID_RESPONSE, INVALID + violations.get());
            }
        }
        JsonNode selected = answer.at(root);
        if (selected.isMissingNode()) {
            return Failure.permanent(BackendStatus.REJECTED, "the response has no " + root);
        }
        JsonNode result = selected;
        if (!fields.isEmpty()) {
            ObjectNode picked = JsonNodeFactory.instance.objectNode();
            fields.forEach((name, pointer) -> {
                JsonNode value = selected.at(pointer);
                if (!value.isMissingNode()) {
                    picked.set(name, value);
                }
            });
            result = picked;
        }
        for (JsonPointer pointer : required) {
            JsonNode value = result.at(pointer);
            if (value.isMissingNode() || value.isNull()) {
                return Failure.permanent(BackendStatus.REJECTED, "the response is missing the required field " + pointer);
            }
        }
        return new AttemptOutcome.Success(result);
    }
}
