package io.parley.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The audit record of one tool call ({@link AuditKind#TOOL_CALL}), built the way the processor builds
 * its records: the user by its reference ({@link UserReferences}, the processor's key when
 * pseudonymising), the arguments only as redacted text ({@link Redactor}, as message text), never in
 * clear; outcome, latency, tool, connector and operation as they are. A call refused before it reaches
 * a tool gets a record too ({@link #refusal}), with the reason and at most the names of its arguments.
 */
final class ToolAudit {

    /** The channel audit records of tool calls name. */
    static final String CHANNEL = "mcp";
    /** The longest redacted argument text and error text a record holds (the processor's default). */
    static final int MAX_TEXT_CHARS = 2_000;
    /** The longest tool name a refusal record repeats (a real one has at most 64 characters). */
    static final int MAX_NAME_CHARS = 100;
    /** The status of every call refused before it reached a tool (and of a call with an argument of an unusable type). */
    static final String REFUSED = "REFUSED";
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

    /**
     * The record of a {@code tools/call} refused before it reached a tool. It holds no argument value (they may be
     * personal data): only the arguments' names, masked like message text; the caller only when it proved who it is.
     *
     * @param skippedBefore refusals without an authenticated caller left unaudited since the last record (over the
     *     budget), said as {@code unauditedBefore} when there were any
     */
    AuditEvent refusal(Refused refused, long skippedBefore) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("tool", cut(redactor.redact(refused.requestedTool() == null ? "" : refused.requestedTool()), MAX_NAME_CHARS));
        attributes.put("refusal", refused.refusal().name());
        attributes.put("reason", refused.reason());
        refused.caller().ifPresent(caller -> attributes.put("authenticatedBy", caller.method()));
        if (!refused.argumentNames().isEmpty()) {
            attributes.put("arguments", cut(redactor.redact(String.join(",", new TreeSet<>(refused.argumentNames()))), MAX_TEXT_CHARS));
        }
        if (skippedBefore > 0) {
            attributes.put("unauditedBefore", Long.toString(skippedBefore));
        }
        return AuditEvent.newBuilder()
                .setKind(AuditKind.TOOL_CALL)
                .setAuditId("mcp-refused-" + UUID.randomUUID())
                .setConversationId(refused.conversationId())
                .setUserRef(refused.caller().map(caller -> users.of(caller.user())).orElse(""))
                .setOccurredAt(refused.at())
                .setChannel(CHANNEL)
                .setConnector(refused.tool().map(ToolDefinition::connector).orElse(null))
                .setOperation(refused.tool().map(ToolDefinition::operation).orElse(null))
                .setStatus(REFUSED)
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
        return cut(text, MAX_TEXT_CHARS);
    }

    private static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /** One tool call as the audit sees it. */
    record Call(ToolDefinition tool, Callers.Identity caller, String requestId, String conversationId, Instant startedAt,
                Map<String, Object> arguments) {
    }

    /** Why a call did not reach a tool. */
    enum Refusal {
        /** The caller has no accepted token (or its token stopped being accepted since it initialised). */
        UNAUTHENTICATED,
        /** No tool has the name the call asks for. */
        UNKNOWN_TOOL,
        /** The arguments are outside the tool's JSON Schema. */
        INVALID_ARGUMENTS
    }

    /**
     * A call refused before it reached a tool.
     *
     * @param requestedTool the name the call asked for (null when it named none)
     * @param tool the tool of that name, when there is one
     * @param caller who called, when it proved it
     * @param reason why, safe to record (never quotes a token, claim or argument value)
     */
    record Refused(Refusal refusal, String reason, String requestedTool, Optional<ToolDefinition> tool,
                   Optional<Callers.Identity> caller, String conversationId, Collection<String> argumentNames, Instant at) {
    }
}
