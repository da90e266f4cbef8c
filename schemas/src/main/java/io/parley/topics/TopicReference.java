package io.parley.topics;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ConnectorCatalog;
import io.parley.schemas.FlowSet;
import io.parley.schemas.Device;
import io.parley.schemas.MuteCommand;
import io.parley.schemas.Notification;
import io.parley.schemas.TelemetryEvent;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.UserContact;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

/**
 * Renders docs/reference/topics.md: every topic with its key and value, and every record of the
 * contract with each field's type, default and {@code doc}, read from the Avro schemas the build
 * compiles (schemas/src/main/avro). The file is generated so that it cannot drift from the schemas;
 * a test compares it with {@link #render()}.
 */
public final class TopicReference {

    /** The command that rewrites the file, printed when it is stale. */
    public static final String REGENERATE = "./mvnw -B -pl schemas -am verify -Dtest=TopicReferenceTest"
            + " -Dparley.docs.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false";

    /** What flows through a topic; the name comes from {@link TopicNames}. */
    private record Row(String key, String value, String writtenBy, String readBy, String notes) {
    }

    private static final Map<String, Row> ROWS = rows();
    private static final List<Schema> TOPIC_RECORDS = List.of(ChatEvent.getClassSchema(), ChatReply.getClassSchema(),
            BackendRequest.getClassSchema(), BackendResponse.getClassSchema(), Notification.getClassSchema(),
            AuditEvent.getClassSchema(), TelemetryEvent.getClassSchema(), Device.getClassSchema(),
            ConnectorCatalog.getClassSchema(), FlowSet.getClassSchema(), MuteCommand.getClassSchema());
    private static final List<Schema> STATE_RECORDS = List.of(Session.getClassSchema(), UserContact.getClassSchema());

    private TopicReference() {
    }

    private static Map<String, Row> rows() {
        Map<String, Row> rows = new LinkedHashMap<>();
        rows.put(TopicNames.CHAT_EVENTS, new Row("conversation id", "ChatEvent", "channels", "processor",
                "co-partitioned with backendResponses; keys may be registry-framed Avro strings"));
        rows.put(TopicNames.BACKEND_REQUESTS, new Row("conversation id", "BackendRequest", "processor", "connectors workers", ""));
        rows.put(TopicNames.BACKEND_RESPONSES, new Row("conversation id", "BackendResponse", "connectors workers", "processor",
                "as many partitions as chatEvents (checked at start)"));
        rows.put(TopicNames.NOTIFICATIONS, new Row("user id", "Notification", "notification producers", "processor",
                "keys may be registry-framed Avro strings"));
        rows.put(TopicNames.AUDIT, new Row("conversation id (user reference when there is none)", "AuditEvent", "processor, MCP server (TOOL_CALL)",
                "analytics, console", "text redacted"));
        rows.put(TopicNames.DEAD_LETTERS, new Row("original bytes", "original bytes", "processor", "operators",
                "the reason in Kafka Streams' `__streams.errors.*` headers"));
        rows.put(TopicNames.DEFAULT_REPLIES, new Row("conversation id", "ChatReply", "processor", "channels",
                "replies of channels without a route; routed channels get `replies.routes` topics, e.g. `chat.replies.<channel>`"));
        rows.put(TopicNames.WORKER_DEAD_LETTERS, new Row("original bytes", "original bytes", "connectors workers", "operators",
                "the reason in `__streams.errors.*` headers"));
        rows.put(TopicNames.IOT_TELEMETRY, new Row("device id", "TelemetryEvent", "MQTT bridge, device producers", "processor (trigger rules)",
                "at-least-once: a repeated `eventId` is the same measurement"));
        rows.put(TopicNames.IOT_DEVICES, new Row("device id", "Device", "device registry", "processor (trigger rules)",
                "compacted (`cleanup.policy=compact`); a tombstone removes the device"));
        rows.put(TopicNames.CONNECTOR_CATALOG, new Row("connector name", "ConnectorCatalog", "connectors workers (at start and"
                + " on each reload applied)", "processor (start check of flow templates), tools listing operations",
                "compacted; created by the worker when missing; the latest record per connector wins"));
        rows.put(TopicNames.FLOWS, new Row("flow set name", "FlowSet", "`parley flows publish` (after validation)",
                "processors with `flows.source: topic`", "compacted, one partition; the newest valid record of the set is"
                + " active, an older one published again is a rollback (docs/hotreload.md)"));
        rows.put(TopicNames.IOT_MUTES, new Row("device id", "MuteCommand", "processor (flow intents with `mute:`)",
                "processor (trigger rules)", "as many partitions as iotTelemetry; applied only for the device's owner (docs/alerts.md)"));
        return rows;
    }

    /** The whole file. */
    public static String render() {
        StringBuilder out = new StringBuilder();
        out.append("<!-- Generated by io.parley.topics.TopicReference from the Avro schemas in schemas/src/main/avro;\n")
                .append("     do not edit. Regenerate: ").append(REGENERATE).append(" -->\n\n");
        out.append("# Topics and schemas (reference)\n\n");
        out.append("Every topic name is configuration (`topics:` in processor.yaml and worker.yaml); these are the\n")
                .append("defaults. Values are Avro in the Schema Registry wire format (see\n")
                .append("[Serialization](../architecture.md#serialization)); the schemas live in\n")
                .append("[`schemas/src/main/avro`](../../schemas/src/main/avro). This page is generated from them.\n\n");
        out.append("| topic | config key | key | value | written by | read by | notes |\n|---|---|---|---|---|---|---|\n");
        TopicNames.defaults().asMap().forEach((key, name) -> {
            Row row = ROWS.get(key);
            if (row == null) {
                throw new IllegalStateException("topic key '" + key + "' has no row in TopicReference");
            }
            String value = row.value().equals("original bytes") ? row.value() : "[`" + row.value() + "`](#" + anchor(row.value()) + ")";
            out.append("| `").append(name).append("` | `").append(key).append("` | ").append(row.key()).append(" | ")
                    .append(value).append(" | ").append(row.writtenBy()).append(" | ").append(row.readBy()).append(" | ")
                    .append(row.notes()).append(" |\n");
        });
        out.append("\n## Records on topics\n");
        renderAll(TOPIC_RECORDS, out);
        out.append("\n## Records in the processor's state stores\n\n")
                .append("Kept in RocksDB and in the stores' changelog topics (`<application.id>-<store>-changelog`).\n");
        renderAll(STATE_RECORDS, out);
        return out.toString();
    }

    /** Records in order, each followed by the records nested in it that were not rendered yet. */
    private static void renderAll(List<Schema> records, StringBuilder out) {
        List<String> done = new ArrayList<>();
        for (Schema record : records) {
            renderRecord(record, out, done);
        }
    }

    private static void renderRecord(Schema record, StringBuilder out, List<String> done) {
        if (done.contains(record.getFullName())) {
            return;
        }
        done.add(record.getFullName());
        out.append("\n### ").append(record.getName()).append("\n\n`").append(record.getFullName()).append('`');
        if (record.getDoc() != null) {
            out.append(": ").append(cell(record.getDoc()));
        }
        out.append("\n\n| field | type | default | doc |\n|---|---|---|---|\n");
        List<Schema> nested = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            out.append("| `").append(field.name()).append("` | ").append(type(field.schema(), nested)).append(" | ")
                    .append(field.hasDefaultValue() ? "`" + defaultValue(field.defaultVal()) + "`" : "—").append(" | ")
                    .append(field.doc() == null ? "" : cell(field.doc())).append(" |\n");
        }
        for (Schema schema : nested) {
            renderRecord(schema, out, done);
        }
    }

    /** A field's type in words; records met on the way are collected to be rendered after. */
    static String type(Schema schema, List<Schema> nested) {
        return switch (schema.getType()) {
            case UNION -> {
                List<Schema> types = schema.getTypes();
                List<Schema> present = types.stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
                String joined = present.stream().map(t -> type(t, nested)).collect(Collectors.joining(" or "));
                yield present.size() < types.size() ? joined + ", optional" : joined;
            }
            case RECORD -> {
                nested.add(schema);
                yield "[`" + schema.getName() + "`](#" + anchor(schema.getName()) + ")";
            }
            case ENUM -> "enum `" + schema.getName() + "`: " + schema.getEnumSymbols().stream().map(s -> "`" + s + "`")
                    .collect(Collectors.joining(", "));
            case ARRAY -> "array of " + type(schema.getElementType(), nested);
            case MAP -> "map of " + type(schema.getValueType(), nested);
            case FIXED -> "fixed(" + schema.getFixedSize() + ")";
            default -> {
                LogicalType logical = schema.getLogicalType();
                yield logical == null ? schema.getType().getName() : logical.getName() + " (" + schema.getType().getName() + ")";
            }
        };
    }

    static String defaultValue(Object value) {
        if (value == null || value == JsonProperties.NULL_VALUE) {
            return "null";
        }
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return "{}";
        }
        if (value instanceof Collection<?> list && list.isEmpty()) {
            return "[]";
        }
        if (value instanceof CharSequence text) {
            return "\"" + text + "\"";
        }
        return String.valueOf(value);
    }

    /** Text for one table cell: one line, no column breaks. */
    private static String cell(String text) {
        return text.replaceAll("\\s*\\n\\s*", " ").replace("|", "\\|").strip();
    }

    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT);
    }
}
