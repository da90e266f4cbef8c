package io.parley.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.Operation.PreparedCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A reply phrased from backend results. The request gives the results as JSON text (parameter
 * {@code results}, e.g. {@code "{{order}}"} in a flow) and optionally the customer's message
 * ({@code message}). The model's text is checked by {@link FactGuard}: a reply stating a number or
 * quoting a value the results do not hold is {@code INVALID_RESPONSE}, so the flow's reply template
 * is used instead. The result is {@code {"reply": text}}.
 */
final class PhraseTask {

    public static final String RESULTS = "results";
    public static final String MESSAGE = "message";
    public static final String REPLY = "reply";

    static final int MAX_RESULTS_CHARS = 16_000;
    static final int MAX_REPLY_CHARS = 2_000;

    private static final String SYSTEM = """
            You write the reply a customer service chatbot sends. Use only the facts in the results given \
            below: do not add numbers, dates, names, prices or quoted values that the results do not contain, \
            and do not promise anything. Answer in one to three short sentences of plain text, in the language \
            of the customer's message.""";

    private final JsonNode results;
    private final Optional<String> message;

    private PhraseTask(JsonNode results, Optional<String> message) {
        this.results = results;
        this.message = message;
    }

    static PhraseTask of(Map<String, String> params) throws InvalidRequestException {
        String text = params.getOrDefault(RESULTS, "");
        if (text.isBlank()) {
            throw new InvalidRequestException("the parameter 'results' is required (the backend results as JSON)");
        }
        if (text.length() > MAX_RESULTS_CHARS) {
            throw new InvalidRequestException("the parameter 'results' is longer than " + MAX_RESULTS_CHARS + " characters");
        }
        JsonNode results;
        try {
            results = JsonText.read(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidRequestException("the parameter 'results' is not JSON");
        }
        if (!results.isContainerNode()) {
            throw new InvalidRequestException("the parameter 'results' must be a JSON object or array");
        }
        Optional<String> message = Optional.ofNullable(params.get(MESSAGE)).map(String::strip).filter(words -> !words.isEmpty())
                .map(words -> words.length() > ClassifyTask.MAX_MESSAGE_CHARS ? words.substring(0, ClassifyTask.MAX_MESSAGE_CHARS) : words);
        return new PhraseTask(results, message);
    }

    PreparedCall call(ChatCompletions api, LlmOperationDefinition definition, String requestId) {
        String system = SYSTEM + definition.instructions().map(text -> "\n\n" + text).orElse("");
        String user = message.map(words -> "Customer's message: " + words + "\n\n").orElse("")
                + "Results (JSON): " + JsonText.write(results);
        ObjectNode body = api.body(system, user, definition.maxTokens(), Optional.empty());
        return api.call(body, requestId, this::read);
    }

    AttemptOutcome read(String content) {
        String reply = content.strip();
        if (reply.length() > MAX_REPLY_CHARS) {
            return Failure.permanent(BackendStatus.INVALID_RESPONSE, "the model's reply is longer than " + MAX_REPLY_CHARS + " characters");
        }
        Optional<String> violation = FactGuard.check(reply, results);
        if (violation.isPresent()) {
            return Failure.permanent(BackendStatus.INVALID_RESPONSE, violation.get());
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put(REPLY, reply);
        return new AttemptOutcome.Success(result);
    }
}
