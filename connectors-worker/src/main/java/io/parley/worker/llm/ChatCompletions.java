package io.parley.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.Operation.PreparedCall;
import io.parley.worker.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

/**
 * The chat-completions call every {@code llm} operation makes: {@code POST baseUrl/chat/completions}
 * with the model, a system and a user message, and optionally a {@code response_format}. The
 * answer's first choice is read; an answer without text, cut off by the token limit or refused by
 * the model is {@code INVALID_RESPONSE}, so the flow's fallback is used. Error statuses are mapped
 * like any HTTP backend's (429 with {@code Retry-After} is retried after the wait); the API's error
 * body is not read, since providers echo parts of the prompt in it.
 */
final class ChatCompletions {

    private final HttpTransport transport;
    private final URI endpoint;
    private final String model;
    private final double temperature;

    ChatCompletions(HttpTransport transport, URI endpoint, String model, double temperature) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.model = model;
        this.temperature = temperature;
    }

    /** The request body of a conversation of one system and one user message. */
    ObjectNode body(String system, String user, Optional<Integer> maxTokens, Optional<ObjectNode> responseFormat) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        body.put("temperature", temperature);
        body.put("stream", false);
        maxTokens.ifPresent(tokens -> body.put("max_tokens", tokens));
        responseFormat.ifPresent(format -> body.set("response_format", format));
        return body;
    }

    /**
     * The call for one request.
     *
     * @param readContent maps the text of the model's answer to the operation's outcome
     */
    PreparedCall call(ObjectNode body, String requestId, Function<String, AttemptOutcome> readContent) {
        HttpTransport.HttpCall call = new HttpTransport.HttpCall("POST", endpoint, Optional.of(JsonText.bytes(body)), requestId);
        return context -> transport.exchange(call, context, bytes -> {
            AnswerText text = content(bytes);
            return text.failure() != null ? text.failure() : readContent.apply(text.content());
        });
    }

    /** The text of an answer, or why there is none. */
    record AnswerText(String content, Failure failure) {
    }

    static AnswerText content(byte[] bytes) {
        JsonNode answer;
        try {
            answer = JsonText.read(bytes);
        } catch (IOException e) {
            return invalid("the model API's answer is not JSON");
        }
        JsonNode choice = answer.path("choices").path(0);
        if (!choice.isObject()) {
            return invalid("the model API's answer has no choices");
        }
        JsonNode message = choice.path("message");
        JsonNode refusal = message.path("refusal");
        if (refusal.isTextual() && !refusal.asText().isBlank()) {
            return invalid("the model refused to answer");
        }
        if ("length".equals(choice.path("finish_reason").asText())) {
            return invalid("the model's answer was cut off at the token limit");
        }
        JsonNode content = message.path("content");
        if (!content.isTextual() || content.asText().isBlank()) {
            return invalid("the model's answer has no text");
        }
        return new AnswerText(content.asText(), null);
    }

    private static AnswerText invalid(String message) {
        return new AnswerText(null, Failure.permanent(BackendStatus.INVALID_RESPONSE, message));
    }
}
