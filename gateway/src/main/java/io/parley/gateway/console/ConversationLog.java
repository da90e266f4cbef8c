package io.parley.gateway.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditSteps;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's view of live conversations, built only from the audit stream (so it is redacted
 * exactly as the audit stream is): the most recently active conversations, each with its last
 * audit entries. Bounded: {@code maxConversations} conversations of {@code perConversation} entries.
 */
public final class ConversationLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int maxConversations;
    private final int perConversation;
    private final LinkedHashMap<String, Deque<ObjectNode>> byConversation;

    public ConversationLog(int maxConversations, int perConversation) {
        this.maxConversations = maxConversations;
        this.perConversation = perConversation;
        this.byConversation = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<ObjectNode>> eldest) {
                return size() > ConversationLog.this.maxConversations;
            }
        };
    }

    /**
     * Adds an audit record as it was read: a TURN record (the processor's audit.mode turn) adds an entry
     * per step, as the per-step records of detailed mode would. Returns the entries added.
     */
    public synchronized List<ObjectNode> addRecord(AuditEvent record) {
        List<ObjectNode> added = new ArrayList<>();
        for (AuditEvent step : AuditSteps.of(record)) {
            ObjectNode entry = add(step);
            if (entry != null) {
                added.add(entry);
            }
        }
        return added;
    }

    /** Adds an audit event; returns its console entry (JSON), or null when it names no conversation. */
    public synchronized ObjectNode add(AuditEvent event) {
        if (event.getConversationId() == null) {
            return null;
        }
        ObjectNode entry = entry(event);
        Deque<ObjectNode> entries = byConversation.computeIfAbsent(event.getConversationId(), c -> new ArrayDeque<>());
        entries.addLast(entry);
        while (entries.size() > perConversation) {
            entries.removeFirst();
        }
        return entry;
    }

    /** Every held conversation, most recently active first, with its entries oldest first. */
    public synchronized ArrayNode snapshot() {
        ArrayNode all = JSON.createArrayNode();
        List<Map.Entry<String, Deque<ObjectNode>>> entries = new ArrayList<>(byConversation.entrySet());
        for (int i = entries.size() - 1; i >= 0; i--) {
            ObjectNode conversation = all.addObject();
            conversation.put("conversationId", entries.get(i).getKey());
            ArrayNode list = conversation.putArray("entries");
            entries.get(i).getValue().forEach(list::add);
        }
        return all;
    }

    static ObjectNode entry(AuditEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("conversationId", event.getConversationId());
        node.put("kind", event.getKind().name());
        node.put("at", event.getOccurredAt().toEpochMilli());
        node.put("user", event.getUserRef());
        putIfSet(node, "channel", event.getChannel());
        putIfSet(node, "intent", event.getIntent());
        putIfSet(node, "connector", event.getConnector());
        putIfSet(node, "operation", event.getOperation());
        putIfSet(node, "status", event.getStatus());
        if (event.getLatencyMs() != null) {
            node.put("latencyMs", event.getLatencyMs());
        }
        putIfSet(node, "text", event.getText());
        return node;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
