package io.parley.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.Operation.PreparedCall;
import io.parley.worker.connector.ResponseSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Intent and slot extraction, answering the processor's classifier contract (docs/flows.md). The
 * request names the message, the intents it may be classified as and the slots to fill (parameters
 * {@code text} (or {@code message}), {@code intents}, {@code slots}; names separated by commas). The model is asked for JSON matching a schema built from them (OpenAI's
 * {@code response_format: json_schema}, strict), and its answer is checked against the same schema:
 * text that is not JSON, or JSON that does not match, is {@code INVALID_RESPONSE}. A slot value the
 * message does not contain is dropped (the model may only extract, not invent). The result is
 * {@code {"intent": name or "none", "entities": {slot: value}}}.
 */
final class ClassifyTask {

    public static final String TEXT = "text";
    public static final String MESSAGE = "message";
    public static final String ENTITIES = "entities";
    public static final String INTENTS = "intents";
    public static final String SLOTS = "slots";
    /** The intent the model answers when none of the allowed ones fits. */
    public static final String NONE = "none";

    static final int MAX_NAMES = 100;
    static final int MAX_MESSAGE_CHARS = 4000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    private static final String SYSTEM = """
            You classify one message a customer wrote to a chatbot. Choose the one intent from the allowed list \
            that the message expresses, or "none" when none of them fits. For each slot, copy the value the \
            message states, word for word; use null when the message does not state it. Never invent values. \
            Answer only with JSON that matches the given schema.""";

    private final String message;
    private final List<String> intents;
    private final List<String> slots;

    private ClassifyTask(String message, List<String> intents, List<String> slots) {
        this.message = message;
        this.intents = intents;
        this.slots = slots;
    }

    static ClassifyTask of(Map<String, String> params) throws InvalidRequestException {
        String message = params.getOrDefault(TEXT, params.getOrDefault(MESSAGE, "")).strip();
        if (message.isEmpty()) {
            throw new InvalidRequestException("the parameter 'text' is required");
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw new InvalidRequestException("the parameter 'text' is longer than " + MAX_MESSAGE_CHARS + " characters");
        }
        List<String> intents = names(params, INTENTS);
        if (intents.isEmpty()) {
            throw new InvalidRequestException("the parameter 'intents' must name at least one intent");
        }
        if (intents.contains(NONE)) {
            throw new InvalidRequestException("'" + NONE + "' is reserved and cannot be an allowed intent");
        }
        return new ClassifyTask(message, intents, names(params, SLOTS));
    }

    private static List<String> names(Map<String, String> params, String parameter) throws InvalidRequestException {
        Set<String> names = new LinkedHashSet<>();
        for (String part : params.getOrDefault(parameter, "").split(",")) {
            String name = part.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                throw new InvalidRequestException("the parameter '" + parameter + "' holds a name that is not letters, digits, _ . -");
            }
            names.add(name);
        }
        if (names.size() > MAX_NAMES) {
            throw new InvalidRequestException("the parameter '" + parameter + "' names more than " + MAX_NAMES);
        }
        return List.copyOf(names);
    }

    /** The JSON Schema the answer must match: the allowed intents (and none), every slot a string or null. */
    ObjectNode schema() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode schema = json.objectNode().put("type", "object").put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        ArrayNode allowed = properties.putObject("intent").put("type", "string").putArray("enum");
        intents.forEach(allowed::add);
        allowed.add(NONE);
        ObjectNode slotSchema = properties.putObject(SLOTS).put("type", "object").put("additionalProperties", false);
        ObjectNode slotProperties = slotSchema.putObject("properties");
        ArrayNode slotsRequired = slotSchema.putArray("required");
        for (String slot : slots) {
            slotProperties.putObject(slot).putArray("type").add("string").add("null");
            slotsRequired.add(slot);
        }
        schema.putArray("required").add("intent").add(SLOTS);
        return schema;
    }

    PreparedCall call(ChatCompletions api, LlmOperationDefinition definition, String requestId) {
        ObjectNode schema = schema();
        ObjectNode format = JsonNodeFactory.instance.objectNode().put("type", "json_schema");
        format.putObject("json_schema").put("name", "classification").put("strict", true).set("schema", schema);
        String system = SYSTEM + definition.instructions().map(text -> "\n\n" + text).orElse("");
        ObjectNode body = api.body(system, message, definition.maxTokens(), Optional.of(format));
        ResponseSchema check = ResponseSchema.of(schema, "the classification schema");
        return api.call(body, requestId, content -> read(content, check));
    }

    AttemptOutcome read(String content, ResponseSchema check) {
        JsonNode answer;
        try {
            answer = JsonText.read(strippedOfCodeFence(content).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Failure.permanent(BackendStatus.INVALID_RESPONSE, "the model's answer is not JSON");
        }
        Optional<String> violations = check.violations(answer);
        if (violations.isPresent()) {
            return Failure.permanent(BackendStatus.INVALID_RESPONSE, "the model's answer does not match the schema: " + violations.get());
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("intent", answer.path("intent").asText());
        ObjectNode filled = result.putObject(ENTITIES);
        String lowerMessage = message.toLowerCase(Locale.ROOT);
        for (String slot : slots) {
            JsonNode value = answer.path(SLOTS).path(slot);
            if (value.isTextual() && !value.asText().isBlank()
                    && lowerMessage.contains(value.asText().strip().toLowerCase(Locale.ROOT))) {
                filled.put(slot, value.asText().strip());
            }
        }
        return new AttemptOutcome.Success(result);
    }

    /** Servers without schema support (older llama.cpp, some proxies) wrap JSON in a Markdown code fence. */
    static String strippedOfCodeFence(String content) {
        String text = content.strip();
        if (text.startsWith("```") && text.endsWith("```") && text.length() >= 6) {
            text = text.substring(3, text.length() - 3);
            int newline = text.indexOf('\n');
            if (newline >= 0 && text.substring(0, newline).strip().matches("[A-Za-z]*")) {
                text = text.substring(newline + 1);
            }
        }
        return text.strip();
    }
}
