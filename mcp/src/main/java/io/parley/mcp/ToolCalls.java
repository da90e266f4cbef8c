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
import java.util.OptionalLong;
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
    /** Refused calls without an authenticated caller audited one by one per second (anyone can send them). */
    static final int ANONYMOUS_REFUSALS_PER_SECOND = 20;

    private final KafkaBackend backend;
    private final ToolAudit audit;
    private final Duration timeout;
    private final Clock clock;
    private final RefusalBudget anonymousRefusals = new RefusalBudget(ANONYMOUS_REFUSALS_PER_SECOND);

    ToolCalls(KafkaBackend backend, ToolAudit audit, Duration timeout, Clock clock) {
        this.backend = backend;
        this.audit = audit;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Runs the call and writes its audit record, whatever its outcome. */
    CallToolResult call(ToolDefinition tool, Callers.Identity caller, String session, Map<String, Object> arguments) {
        Instant started = clock.instant();
        ToolAudit.Call call = new ToolAudit.Call(tool, caller, "mcp-" + UUID.randomUUID(), "mcp:" + session, started,
                arguments == null ? Map.of() : arguments);
        Outcome outcome = run(call);
        backend.audit(audit.record(call, outcome.status(), outcome.error(),
                Math.max(0, clock.instant().toEpochMilli() - started.toEpochMilli())));
        return outcome.result();
    }

    /**
     * Writes the audit record of a call refused before it reached a tool; of those without an authenticated caller at
     * most {@link #ANONYMOUS_REFUSALS_PER_SECOND} a second, the rest counted on the next record.
     *
     * @return whether a record was written
     */
    boolean refused(ToolAudit.Refused refused) {
        long skipped = 0;
        if (refused.caller().isEmpty()) {
            OptionalLong admitted = anonymousRefusals.admit(refused.at());
            if (admitted.isEmpty()) {
                return false;
            }
            skipped = admitted.getAsLong();
        }
        backend.audit(audit.refusal(refused, skipped));
        return true;
    }

    Clock clock() {
        return clock;
    }

    private Outcome run(ToolAudit.Call call) {
        ToolDefinition tool = call.tool();
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, Object> argument : call.arguments().entrySet()) {
            Object value = argument.getValue();
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                params.put(argument.getKey(), String.valueOf(value));
            } else if (value != null) {
                return Outcome.failed(ToolAudit.REFUSED, "argument '" + argument.getKey() + "' must be a string, number or boolean");
            }
        }
        Instant now = call.startedAt();
        String requestId = call.requestId();
        BackendRequest request = BackendRequest.newBuilder()
                .setRequestId(requestId)
                .setConversationId(call.conversationId())
                .setUserId(call.caller().user())
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
            return Outcome.failed("TIMEOUT", "no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            backend.forget(requestId);
            return Outcome.failed("TIMEOUT", "the server is shutting down");
        } catch (ExecutionException e) {
            LOG.warn("Tool {}: the request could not be sent ({})", tool.name(), e.getCause().getClass().getSimpleName());
            return Outcome.failed("SERVER_ERROR", "the request could not be sent");
        }
    }

    private static Outcome result(BackendResponse response) {
        if (response.getStatus() != BackendStatus.OK) {
            return Outcome.failed(response.getStatus().name(), response.getError());
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
        return new Outcome(result.build(), BackendStatus.OK.name(), null);
    }

    /** What the caller gets, and what the audit records of it. */
    private record Outcome(CallToolResult result, String status, String error) {
        static Outcome failed(String status, String error) {
            return new Outcome(ToolCalls.error(status + Optional.ofNullable(error).map(text -> ": " + text).orElse("")), status, error);
        }
    }

    static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
