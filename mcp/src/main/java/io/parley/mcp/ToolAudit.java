package io.parley.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The audit record of one tool call ({@link AuditKind#TOOL_CALL}), built the way the processor builds
 * its records: the user by its reference ({@link UserReferences}, the processor's key when
 * pseudonymising), the arguments only as redacted text ({@link Redactor}, as message text), never in
 * clear; outcome, latency, tool, connector and operation as they are.
 */
final class ToolAudit {

    /** The channel audit records of tool calls name. */
    static final String CHANNEL = "mcp";
    /** The longest redacted argument text and error text a record holds (the processor's default). */
    static final int MAX_TEXT_CHARS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Redactor redactor;
    private final UserReferences users;

    ToolAudit(Redactor redactor, UserReferences users) {
        this.redactor = redactor;
        this.users = users;
    }

    /**
     * @param call what was called, by whom, when
     * @param outcome {@code OK}, a backend status, {@code TIMEOUT}, {@code REFUSED} (bad arguments) or {@code SERVER_ERROR}
     * @param error the error text shown to the caller, if any (masked like message text)
     */
    AuditEvent record(Call call, String outcome, String error, long latencyMillis) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("tool", call.tool().name());
        attributes.put("authenticatedBy", call.caller().method());
        if (error != null) {
            attributes.put("error", cut(redactor.redact(error)));
        }
        return AuditEvent.newBuilder()
                .setKind(AuditKind.TOOL_CALL)
                .setAuditId("mcp-audit-" + call.requestId())
                .setConversationId(call.conversationId())
                .setUserRef(users.of(call.caller().user()))
                .setOccurredAt(call.startedAt())
                .setChannel(CHANNEL)
                .setRequestId(call.requestId())
                .setConnector(call.tool().connector())
                .setOperation(call.tool().operation())
                .setStatus(outcome)
                .setLatencyMs(latencyMillis)
                .setText(cut(redactor.redact(arguments(call.arguments()))))
                .setAttributes(attributes)
                .build();
    }

    /** The arguments as JSON with sorted names, so equal calls read the same. */
    private static String arguments(Map<String, Object> arguments) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(arguments == null ? Map.of() : arguments));
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }

    private static String cut(String text) {
        if (text == null || text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        int end = MAX_TEXT_CHARS - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /** One tool call as the audit sees it. */
    record Call(ToolDefinition tool, Callers.Identity caller, String requestId, String conversationId, Instant startedAt,
                Map<String, Object> arguments) {
    }
}
