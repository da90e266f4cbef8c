package io.parley.processor.telemetry;

import io.parley.processor.audit.AuditTrail;
import io.parley.processor.conversation.Ids;
import io.parley.processor.flow.NotificationTemplate;
import io.parley.runtime.config.ConfigSection;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.Device;
import io.parley.schemas.state.AlertCall;
import io.parley.schemas.state.AlertCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/**
 * The backend calls a rule makes when it fires, before it notifies: reading them from the rules file, and issuing
 * them. A fired rule with calls does not send its notification at once; it sends one {@link BackendRequest} per call
 * (through {@code backend.requests} and the worker share group, like a turn's) and an {@link AlertCalls} record keyed by
 * the alert id, which the {@link AlertCallJoin} keeps until the answers are in or the rule's deadline passes.
 *
 * <p>Request ids are {@code <alert id>/call/<call name>}: the alert id is deterministic (device, rule, event time), so a
 * replayed alert issues the same request ids, which are the calls' idempotency keys end to end.
 */
final class RuleCalls {

    /** Marks the answers of alert calls on {@code backend.responses}; conversation request ids never start with it. */
    static final String REQUEST_PREFIX = "alert/";
    static final String CALL_SEPARATOR = "/call/";
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
    static final Duration MIN_DEADLINE = Duration.ofMillis(100);
    static final Duration MAX_DEADLINE = Duration.ofMinutes(10);
    /** A rendered parameter longer than this is cut (the values come from the device table and the rule). */
    static final int MAX_PARAM_CHARS = 1_000;
    static final int MAX_CALLS = 8;
    /** The placeholders a call's parameters may use: the alert's values (see {@link Alerts#values}) and the owner. */
    static final Set<String> PARAM_NAMES = Set.of("alert.id", "device.id", "device.name", "device.location", "rule.name",
            "rule.kind", "metric", "value", "threshold", "for", "at", "user.id");
    private static final Pattern CALL_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]+?)\\s*}}");

    private final AuditTrail audit;

    RuleCalls(AuditTrail audit) {
        this.audit = audit;
    }

    /** What a rule says about calls, read from its entry in the rules file. */
    record Declared(List<RuleCall> calls, String fallback, Duration deadline) {
    }

    /** Reads {@code calls:}, {@code fallback:} and {@code deadline:} of a rule; errors name file, rule and field. */
    static Declared read(ConfigSection rule, String message) {
        List<RuleCall> calls = new ArrayList<>();
        if (rule.has("calls")) {
            Map<String, ConfigSection> sections = rule.sectionMap("calls");
            if (sections.isEmpty()) {
                throw rule.error("calls", "lists no call; leave it out for a rule that notifies at once");
            }
            if (sections.size() > MAX_CALLS) {
                throw rule.error("calls", "has " + sections.size() + " calls; at most " + MAX_CALLS + " are allowed");
            }
            sections.forEach((name, call) -> {
                if (!CALL_NAME.matcher(name).matches()) {
                    throw call.error("a call name must be letters and digits, starting with a letter");
                }
                String connector = call.requiredString("connector");
                String operation = call.requiredString("operation");
                Map<String, String> params = new LinkedHashMap<>();
                ConfigSection paramSection = call.has("params") ? call.section("params") : ConfigSection.empty(call.file(), call.path());
                for (String param : paramSection.keys()) {
                    String template = paramSection.requiredString(param);
                    checkTemplate(paramSection, param, template);
                    for (String used : names(template)) {
                        if (!PARAM_NAMES.contains(used)) {
                            throw paramSection.error(param, "uses {{" + used + "}}, which a call's parameters cannot know; they can use "
                                    + new TreeSet<>(PARAM_NAMES));
                        }
                    }
                    params.put(param, template);
                }
                call.rejectUnknownKeys();
                calls.add(new RuleCall(name, connector, operation, params));
            });
        }
        Set<String> callNames = new LinkedHashSet<>();
        calls.forEach(call -> callNames.add(call.name()));
        checkResults(rule, "message", message, callNames);
        Optional<String> fallback = rule.string("fallback");
        if (fallback.isPresent()) {
            if (calls.isEmpty()) {
                throw rule.error("fallback", "is only for a rule with calls: (the text when a call fails or is late)");
            }
            checkTemplate(rule, "fallback", fallback.get());
            checkResults(rule, "fallback", fallback.get(), callNames);
        }
        Duration deadline = DEFAULT_DEADLINE;
        if (rule.has("deadline")) {
            if (calls.isEmpty()) {
                throw rule.error("deadline", "is only for a rule with calls: (how long the alert waits for their answers)");
            }
            deadline = rule.duration("deadline", DEFAULT_DEADLINE);
            if (deadline.compareTo(MIN_DEADLINE) < 0 || deadline.compareTo(MAX_DEADLINE) > 0) {
                throw rule.error("deadline", deadline + " is out of range; allowed are 100ms to 10m");
            }
        }
        return new Declared(calls, fallback.orElse(null), calls.isEmpty() ? Duration.ZERO : deadline);
    }

    private static void checkTemplate(ConfigSection section, String key, String template) {
        try {
            NotificationTemplate.render(template, Map.of(), Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw section.error(key, e.getMessage());
        }
    }

    /** {@code {{results.<call>...}}} must name a call of the rule. */
    private static void checkResults(ConfigSection rule, String key, String template, Set<String> callNames) {
        for (String used : names(template)) {
            if (used.startsWith("results.")) {
                String call = used.substring("results.".length()).split("\\.", 2)[0];
                if (!callNames.contains(call)) {
                    throw rule.error(key, "uses {{" + used + "}}, but the rule has no call '" + call + "'; its calls are " + callNames);
                }
            }
        }
    }

    /** The placeholder names of a template already checked to be plain placeholders. */
    static List<String> names(String template) {
        List<String> names = new ArrayList<>();
        var matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    static String requestId(String alertId, String call) {
        return alertId + CALL_SEPARATOR + call;
    }

    /** Whether an answer on {@code backend.responses} is for an alert's call (else it is a conversation's). */
    static boolean isAlertRequest(String requestId) {
        return requestId != null && requestId.startsWith(REQUEST_PREFIX) && requestId.contains(CALL_SEPARATOR);
    }

    /** The alert an alert call's request id belongs to. */
    static String alertIdOf(String requestId) {
        return requestId.substring(0, requestId.lastIndexOf(CALL_SEPARATOR));
    }

    /**
     * Issues a fired rule's calls: the requests, their BACKEND_REQUEST audit records, and the alert waiting for them
     * (keyed by alert id), in that order, as records for the rule step to forward.
     */
    List<SpecificRecord> issue(String deviceId, Device device, RuleEngine.RuleEvent event, long now) {
        Rule rule = event.rule();
        String alertId = Alerts.alertId(deviceId, event);
        String owner = device.getOwnerUserId();
        Map<String, String> data = Alerts.values(deviceId, device, event);
        Map<String, String> scope = new LinkedHashMap<>(data);
        scope.put("user.id", owner);
        Instant deadline = Instant.ofEpochMilli(now).plus(rule.callDeadline());
        List<SpecificRecord> out = new ArrayList<>();
        List<AlertCall> pending = new ArrayList<>();
        for (RuleCall call : rule.calls()) {
            String requestId = requestId(alertId, call.name());
            Map<String, String> params = new LinkedHashMap<>();
            call.params().forEach((name, template) -> params.put(name, NotificationTemplate.render(template, scope, MAX_PARAM_CHARS).strip()));
            out.add(BackendRequest.newBuilder()
                    .setRequestId(requestId)
                    .setConversationId(alertId)
                    .setUserId(owner)
                    .setEventId(alertId)
                    .setConnector(call.connector())
                    .setOperation(call.operation())
                    .setParams(params)
                    .setDeadline(deadline)
                    .setAttempt(1)
                    .setCreatedAt(Instant.ofEpochMilli(now))
                    .setReplyPartition(null)
                    .build());
            out.add(callAudit(AuditKind.BACKEND_REQUEST, owner, alertId, deviceId, rule.name(), requestId, call.name(),
                    call.connector(), call.operation(), now).build());
            pending.add(AlertCall.newBuilder().setRequestId(requestId).setCall(call.name()).setConnector(call.connector())
                    .setOperation(call.operation()).build());
        }
        out.add(AlertCalls.newBuilder()
                .setAlertId(alertId)
                .setUserId(owner)
                .setTemplate(rule.message())
                .setFallback(rule.fallback())
                .setPriority(rule.priority().name())
                .setData(data)
                .setDeadline(deadline)
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setPending(pending)
                .setResults(new LinkedHashMap<>())
                .setFailures(new LinkedHashMap<>())
                .setAnswer(null)
                .setEarly(new ArrayList<>())
                .setDone(false)
                .build());
        return out;
    }

    /** The audit record of something that happened to one call of an alert. */
    AuditTrail.Entry callAudit(AuditKind kind, String owner, String alertId, String deviceId, String ruleName, String requestId,
                               String call, String connector, String operation, long now) {
        return audit.entry(kind, Ids.audit(requestId, kind), owner, now)
                .event(alertId)
                .request(requestId)
                .call(connector, operation)
                .attribute("call", call)
                .attribute("device", deviceId)
                .attribute("rule", ruleName);
    }
}
