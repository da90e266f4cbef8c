package io.parley.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The catalogue of Parley's own metrics, service by service, and the renderer of
 * docs/reference/metrics.md. {@link MetricReferenceTest} keeps it true: every metric name the main
 * sources register is declared here, and every metric declared here is still registered.
 */
public final class MetricReference {

    public static final String REGENERATE = "./mvnw -B -pl distribution -am verify -Dtest=MetricReferenceTest "
            + "-Dparley.docs.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false";

    /** How a meter type shows on Prometheus. */
    public enum Type {
        COUNTER("counter", "_total"),
        FUNCTION_COUNTER("counter", "_total"),
        GAUGE("gauge", ""),
        TIMER("timer (summary: `_count`, `_sum`, `_max`)", "_seconds"),
        TIMER_BUCKETS("timer with histogram buckets (`_bucket{le}`, `_count`, `_sum`, `_max`)", "_seconds");

        final String words;
        final String suffix;

        Type(String words, String suffix) {
            this.words = words;
            this.suffix = suffix;
        }
    }

    /** One metric as the code registers it (Micrometer name) with its meaning. */
    public record Metric(String name, Type type, String unit, String tags, String meaning) {
        /** The name on a Prometheus /metrics page. */
        public String prometheus() {
            String base = name.replace('.', '_');
            if ("seconds".equals(unit) && type == Type.GAUGE) {
                return base + "_seconds";
            }
            return base + type.suffix;
        }
    }

    /** A service and the main source folders whose registrations belong to it. */
    public record Service(String name, String adminPort, List<String> sourceFolders, List<Metric> metrics) {}

    private static final String CONNECTOR_OPERATION = "`connector`, `operation` (names from the connector files)";
    private static final String STATUS = "`status`: OK, NOT_FOUND, CLIENT_ERROR, UNAUTHORIZED, RATE_LIMITED, SERVER_ERROR, "
            + "TIMEOUT, CIRCUIT_OPEN, REJECTED, RESPONSE_TOO_LARGE, INVALID_RESPONSE";

    public static final List<Service> SERVICES = List.of(
            new Service("processor", "9100", List.of("processor/src/main/java", "runtime/src/main/java/io/parley/runtime/access"), List.of(
                    new Metric("parley.access.refused", Type.COUNTER, "requests", "`status`: 401 (no or a bad credential), 403 (a role too low)",
                            "Admin and console requests refused by role-based access (docs/rbac.md)"),
                    new Metric("parley.flows.versions", Type.COUNTER, "versions", "`outcome`: applied, unchanged, refused",
                            "Flow versions read from parley.flows (flows.source: topic), by what became of them (docs/hotreload.md)"),
                    new Metric("parley.turns", Type.COUNTER, "turns", "`intent` (from the flows, `none` without one); "
                            + "`outcome`: answered, partial, backend_error, timed_out, no_match, cancelled, gave_up, ...",
                            "Turns ended, by intent and outcome"),
                    new Metric("parley.turn.latency", Type.TIMER_BUCKETS, "seconds",
                            "`kind`: answer, prompt, interim, fallback, follow_up, notification, error",
                            "Time from the user's event to the reply (buckets 50 ms to 30 s)"),
                    new Metric("parley.backend.requests", Type.COUNTER, "requests", CONNECTOR_OPERATION, "Backend requests issued"),
                    new Metric("parley.pending.calls", Type.GAUGE, "calls", "",
                            "Backend calls sent and not yet answered or timed out, on this instance"),
                    new Metric("parley.interims", Type.COUNTER, "replies", "", "Interim replies sent while a backend call was slow"),
                    new Metric("parley.timeouts", Type.COUNTER, "calls", CONNECTOR_OPERATION, "Backend calls unanswered at their deadline"),
                    new Metric("parley.late.answers", Type.COUNTER, "answers", "`delivered`: true, false", "Backend answers after their deadline"),
                    new Metric("parley.duplicates", Type.COUNTER, "records", "`what`: the kind of record dropped (event, response, ...)",
                            "Duplicates dropped"),
                    new Metric("parley.results.too.large", Type.COUNTER, "results", CONNECTOR_OPERATION,
                            "Backend results larger than limits.maxResultBytes"),
                    new Metric("parley.sessions.too.large", Type.COUNTER, "turns", "",
                            "Turns ended because the session would exceed limits.maxSessionBytes"),
                    new Metric("parley.turns.over.budget", Type.COUNTER, "turns", "",
                            "Turns ended because they took more CPU than limits.turnCpuBudget"),
                    new Metric("parley.records.too.large", Type.COUNTER, "records", "`topic`: an output topic",
                            "Output records Kafka refused as too large, dropped"),
                    new Metric("parley.skipped.records", Type.COUNTER, "records", "`reason`: why (undecodable, unreadable, ...)",
                            "Input records skipped (each logged at WARN with topic, partition and offset)"),
                    new Metric("parley.conversation.partition.moves", Type.COUNTER, "events", "",
                            "Chat events that arrived on another partition than their conversation's previous event"),
                    new Metric("parley.notifications", Type.COUNTER, "notifications", "`outcome`: what became of the notification",
                            "Notifications handled, by outcome"),
                    new Metric("parley.sessions.expired", Type.COUNTER, "sessions", "", "Sessions removed after their idle time"),
                    new Metric("parley.index.entries.read", Type.COUNTER, "entries", "`index`: the time index scanned",
                            "Entries read by punctuator range scans (proves the scans touch due entries only)"),
                    new Metric("parley.punctuation", Type.TIMER, "seconds", "",
                            "Time one run of the conversation punctuator takes (due deadlines, interims, expiries)"),
                    new Metric("parley.stream.busy", Type.GAUGE, "seconds", "",
                            "The longest time a stream thread of this instance has been on its current record"),
                    new Metric("parley.state.restored.records", Type.COUNTER, "records", "`store`: a state store name",
                            "Records restored into a state store from its changelog"),
                    new Metric("parley.telemetry.measurements", Type.COUNTER, "measurements", "`intake`: accepted",
                            "Telemetry measurements accepted by the rule engine"),
                    new Metric("parley.telemetry.alerts", Type.COUNTER, "alerts", "", "Telemetry rule alerts fired"))),
            new Service("worker", "9101", List.of("connectors-worker/src/main/java", "runtime/src/main/java/io/parley/runtime/access"), List.of(
                    new Metric("parley.access.refused", Type.COUNTER, "requests", "`status`: 401 (no or a bad credential), 403 (a role too low)",
                            "Admin and console requests refused by role-based access (docs/rbac.md)"),
                    new Metric("parley.worker.records.received", Type.COUNTER, "records", "", "Request records received"),
                    new Metric("parley.worker.records.answered", Type.COUNTER, "records", "", "Requests whose response was sent"),
                    new Metric("parley.worker.records.skipped", Type.COUNTER, "records", "`reason`: why the record was dead-lettered",
                            "Request records sent to the dead-letter topic"),
                    new Metric("parley.worker.records.released", Type.COUNTER, "records", "", "Records released for another delivery"),
                    new Metric("parley.worker.inflight", Type.GAUGE, "records", "", "Records being processed"),
                    new Metric("parley.worker.responses.too.large", Type.COUNTER, "answers", "",
                            "Answers too large for a response record, answered RESPONSE_TOO_LARGE"),
                    new Metric("parley.worker.consumer.restarts", Type.COUNTER, "restarts", "`mode`: the consumption mode of the loop",
                            "Consumer loops started again after an unexpected failure"),
                    new Metric("parley.worker.locks.renewed", Type.COUNTER, "locks", "",
                            "Acquisition locks renewed for calls that outlive them"),
                    new Metric("parley.worker.call", Type.TIMER_BUCKETS, "seconds", CONNECTOR_OPERATION + "; " + STATUS,
                            "Backend calls, retries included (buckets 10 ms to 10 s)"),
                    new Metric("parley.worker.responses", Type.COUNTER, "responses", CONNECTOR_OPERATION + "; " + STATUS,
                            "Backend responses by status"),
                    new Metric("parley.worker.retries", Type.COUNTER, "attempts", CONNECTOR_OPERATION, "Attempts after the first"),
                    new Metric("parley.worker.invalid.responses", Type.COUNTER, "answers", CONNECTOR_OPERATION,
                            "Answers that did not match the operation's response schema"),
                    new Metric("parley.worker.cache.hits", Type.COUNTER, "lookups", CONNECTOR_OPERATION, "Answers served from the cache"),
                    new Metric("parley.worker.cache.misses", Type.COUNTER, "lookups", CONNECTOR_OPERATION,
                            "Cacheable requests not in the cache"),
                    new Metric("parley.worker.circuit.state", Type.GAUGE, "state", "`connector`",
                            "Circuit breaker state: 0 closed, 1 open, 2 half-open, 3 disabled, 4 forced open, 5 metrics only"),
                    new Metric("parley.worker.connector.reloads", Type.COUNTER, "changes", "`outcome`: whether the change was applied or refused",
                            "Changes of the connector files applied or refused"),
                    new Metric("parley.worker.connector.version", Type.GAUGE, "version", "`hash`: short hash of the active definitions",
                            "The active version of the connector definitions (1 at start, one more per reload applied)"),
                    new Metric("parley.worker.connector.catalog.publications", Type.COUNTER, "publications",
                            "`outcome`: published, failed", "Publications of the connector catalog"))),
            new Service("gateway", "9103", List.of("gateway/src/main/java", "runtime/src/main/java/io/parley/runtime/access"), List.of(
                    new Metric("parley.access.refused", Type.COUNTER, "requests", "`status`: 401 (no or a bad credential), 403 (a role too low)",
                            "Admin and console requests refused by role-based access (docs/rbac.md)"),
                    new Metric("parley.gateway.messages", Type.COUNTER, "messages", "`outcome`: produced, and the refusals",
                            "Chat messages from browsers, by outcome"),
                    new Metric("parley.gateway.replies", Type.COUNTER, "replies", "", "Replies read from the reply topic"),
                    new Metric("parley.gateway.replies.skipped", Type.FUNCTION_COUNTER, "records", "",
                            "Reply records that could not be read and were skipped"),
                    new Metric("parley.gateway.connections", Type.GAUGE, "connections", "",
                            "Browser connections attached to a conversation on this instance"),
                    new Metric("parley.gateway.channel.messages", Type.COUNTER, "messages", "`channel` (from gateway.yaml); `outcome`",
                            "Messages received by the generic channels"),
                    new Metric("parley.gateway.channel.replies", Type.COUNTER, "replies", "`channel` (from gateway.yaml); `outcome`",
                            "Replies of the generic channels, by outcome"))),
            new Service("bridge", "see bridge.yaml", List.of("bridge/src/main/java"), List.of(
                    new Metric("parley.bridge.messages", Type.COUNTER, "messages", "`outcome`: produced, dead_letter",
                            "MQTT messages written to the telemetry topic (produced) or to the dead-letter topic"),
                    new Metric("parley.bridge.redeliveries", Type.COUNTER, "messages", "",
                            "MQTT messages the broker sent again (DUP flag): written again, de-duplicated downstream by eventId"),
                    new Metric("parley.bridge.kafka.failures", Type.COUNTER, "writes", "",
                            "Kafka writes that failed; the MQTT message stays unacknowledged and comes again"),
                    new Metric("parley.bridge.commands", Type.COUNTER, "commands", "`outcome`: published, dead_letter",
                            "Device commands published to MQTT or dead-lettered"),
                    new Metric("parley.bridge.mqtt.connections.lost", Type.COUNTER, "times", "", "Times the MQTT connection was lost"),
                    new Metric("parley.bridge.mqtt.connected", Type.GAUGE, "boolean", "", "1 while connected to the MQTT broker"))),
            new Service("analytics", "9102", List.of("analytics/src/main/java"), List.of(
                    new Metric("parley.analytics.audit.records", Type.COUNTER, "records", "`bot`; `kind`: an audit kind",
                            "Audit records read, by bot and kind"),
                    new Metric("parley.analytics.skipped.records", Type.COUNTER, "records", "`reason`", "Records skipped, by reason"),
                    new Metric("parley.analytics.conversations", Type.GAUGE, "conversations", "`bot`; `period`: the bucket period",
                            "Conversations active in the current bucket"),
                    new Metric("parley.analytics.turns", Type.GAUGE, "messages", "`bot`; `period`", "User messages in the current bucket"),
                    new Metric("parley.analytics.containment.ratio", Type.GAUGE, "ratio", "`bot`; `period`",
                            "Conversations without fallback or hand-over, of all, in the current bucket"),
                    new Metric("parley.analytics.fallback.ratio", Type.GAUGE, "ratio", "`bot`; `period`",
                            "Fallback replies per user message in the current bucket"),
                    new Metric("parley.analytics.timeout.ratio", Type.GAUGE, "ratio", "`bot`; `period`",
                            "Deadlines passed per user message in the current bucket"),
                    new Metric("parley.analytics.backend.latency", Type.GAUGE, "seconds",
                            "`bot`; `period`; `connector`; `quantile`: 0.5, 0.95, 0.99",
                            "Backend latency of a connector in the current bucket, from the audit stream"))));

    private MetricReference() {}

    public static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Metrics reference\n\n")
                .append("<!-- GENERATED from distribution/src/test/java/io/parley/docs/MetricReference.java; do not edit. Regenerate with:\n")
                .append("     ").append(REGENERATE).append(" -->\n\n")
                .append("Parley's own metrics, as each service's admin endpoint shows them on `/metrics` (Prometheus). ")
                .append("Next to them every service exports the JVM metrics (`jvm_*`, `process_*`, `system_*`) and its Kafka ")
                .append("clients' metrics (`kafka_consumer_*`, `kafka_producer_*`; the processor also `kafka_stream_*`). ")
                .append("A test (`MetricReferenceTest`) fails when a service registers a metric this page does not list, ")
                .append("sets a tag this page does not name, or this page lists a metric no service registers any more. See [Observability](../observability.md) ")
                .append("for health, dashboards and alerts.\n\n")
                .append("Counters end in `_total`; timers show `_count`, `_sum` and `_max` in seconds (those with ")
                .append("fixed buckets also `_bucket{le}`); a tag whose values come from your files (intents, connectors, ")
                .append("channels) is unbounded by Parley.\n");
        for (Service service : SERVICES) {
            out.append("\n## ").append(service.name()).append("\n\n")
                    .append("| metric | type | unit | tags | meaning |\n|---|---|---|---|---|\n");
            for (Metric m : service.metrics()) {
                out.append("| `").append(m.prometheus()).append("` | ").append(m.type().words).append(" | ").append(m.unit())
                        .append(" | ").append(m.tags().isEmpty() ? "-" : m.tags()).append(" | ").append(m.meaning()).append(" |\n");
            }
        }
        return out.toString();
    }

    private static final Pattern LITERAL = Pattern.compile(
            "(?:builder|counter|gauge|timer|summary)\\(\\s*\"(parley\\.[a-z.]+)\"");
    private static final Pattern CONSTANT_USE = Pattern.compile("builder\\(\\s*([A-Z][A-Z_]*)\\b");
    private static final Pattern CONSTANT = Pattern.compile("([A-Z][A-Z_]*)\\s*=\\s*\"(parley\\.[a-z.]+)\"");

    private static final Pattern TAG_KEY = Pattern.compile(
            "\\.tags?\\(\\s*\"([a-zA-Z_]+)\"|^\\s*\"[a-z.]+\"\\s*,\\s*\"([a-zA-Z_]+)\"");

    /**
     * The tag keys a service's main sources set on each metric registered by a literal name: the keys of
     * {@code .tag("key", ...)} and the first key of {@code .tags("key", ...)} in the registering statement, and the
     * first key of {@code counter("parley.name", "key", value)}. Keys set through a {@code Tags} variable are not seen.
     */
    public static Map<String, Set<String>> registeredTagKeys(Path root, Service service) {
        Map<String, Set<String>> keys = new TreeMap<>();
        for (String text : mainSources(root, service)) {
            Matcher literal = LITERAL.matcher(text);
            while (literal.find()) {
                int end = statementEnd(text, literal.start());
                String statement = text.substring(literal.start(1) - 1, end);
                Set<String> found = keys.computeIfAbsent(literal.group(1), name -> new TreeSet<>());
                Matcher key = TAG_KEY.matcher(statement);
                while (key.find()) {
                    found.add(key.group(1) != null ? key.group(1) : key.group(2));
                }
            }
        }
        return keys;
    }

    /** Where the registering statement that starts at {@code from} ends: its {@code register(} call or its semicolon. */
    private static int statementEnd(String text, int from) {
        int register = text.indexOf(".register(", from);
        int semicolon = text.indexOf(';', from);
        if (register < 0) {
            return semicolon < 0 ? text.length() : semicolon;
        }
        return semicolon < 0 ? register : Math.min(register, semicolon);
    }

    /** The metric names a service's main sources register (literal names, or constants of the same file). */
    public static Set<String> registeredNames(Path root, Service service) {
        Set<String> names = new TreeSet<>();
        for (String text : mainSources(root, service)) {
            Matcher literal = LITERAL.matcher(text);
            while (literal.find()) {
                names.add(literal.group(1));
            }
            Map<String, String> constants = new TreeMap<>();
            Matcher constant = CONSTANT.matcher(text);
            while (constant.find()) {
                constants.put(constant.group(1), constant.group(2));
            }
            Matcher use = CONSTANT_USE.matcher(text);
            while (use.find()) {
                if (constants.containsKey(use.group(1))) {
                    names.add(constants.get(use.group(1)));
                }
            }
        }
        return names;
    }

    /** The text of every Java file in the service's main source folders. */
    private static List<String> mainSources(Path root, Service service) {
        List<String> texts = new java.util.ArrayList<>();
        for (String folder : service.sourceFolders()) {
            try (Stream<Path> files = Files.walk(root.resolve(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    texts.add(Files.readString(file, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return texts;
    }
}
