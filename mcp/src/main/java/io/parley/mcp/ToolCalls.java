package io.parley.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one tool call: its arguments become the request's parameters (strings, as every backend
 * request's are), the trusted user is the caller's, and the worker's answer becomes the result:
 * an OK result as JSON (text and structured content), any other status as a tool error naming the
 * status and the worker's error text (which never holds secrets or response bodies).
 */
final class ToolCalls {

    private static final Logger LOG = LoggerFactory.getLogger(ToolCalls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaBackend backend;
    private final Duration timeout;
    private final Clock clock;

    ToolCalls(KafkaBackend backend, Duration timeout, Clock clock) {
        this.backend = backend;
        this.timeout = timeout;
        this.clock = clock;
    }

    CallToolResult call(ToolDefinition tool, String user, String session, Map<String, Object> arguments) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, Object> argument : (arguments == null ? Map.<String, Object>of() : arguments).entrySet()) {
            Object value = argument.getValue();
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                params.put(argument.getKey(), String.valueOf(value));
            } else if (value != null) {
                return error("argument '" + argument.getKey() + "' must be a string, number or boolean");
            }
        }
        Instant now = clock.instant();
        String requestId = "mcp-" + UUID.randomUUID();
        BackendRequest request = BackendRequest.newBuilder()
                .setRequestId(requestId)
                .setConversationId("mcp:" + session)
                .setUserId(user)
                .setEventId(requestId)
                .setConnector(tool.connector())
                .setOperation(tool.operation())
                .setParams(params)
                .setDeadline(now.plus(timeout))
                .setAttempt(1)
                .setCreatedAt(now)
                .build();
        CompletableFuture<BackendResponse> answer = backend.call(request);
        try {
            return result(answer.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            backend.forget(requestId);
            return error("TIMEOUT: no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            backend.forget(requestId);
            return error("TIMEOUT: the server is shutting down");
        } catch (ExecutionException e) {
            LOG.warn("Tool {}: the request could not be sent ({})", tool.name(), e.getCause().getClass().getSimpleName());
            return error("SERVER_ERROR: the request could not be sent");
        }
    }

    private static CallToolResult result(BackendResponse response) {
        if (response.getStatus() != BackendStatus.OK) {
            return error(response.getStatus().name() + Optional.ofNullable(response.getError()).map(text -> ": " + text).orElse(""));
        }
        String text = response.getResult() == null ? "null" : response.getResult();
        CallToolResult.Builder result = CallToolResult.builder().addTextContent(text).isError(false);
        try {
            JsonNode tree = JSON.readTree(text);
            if (tree != null && tree.isObject()) {
                result.structuredContent(JSON.convertValue(tree, Map.class));
            }
        } catch (IOException e) {
            // The text content carries it as it is.
        }
        return result.build();
    }

    static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
