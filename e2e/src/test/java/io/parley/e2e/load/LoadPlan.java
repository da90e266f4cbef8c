package io.parley.e2e.load;

import io.parley.processor.conversation.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole load: conversations of every {@link Script} in turn, and what the backends must hold
 * once it has run (the claims and redemptions it asks for, each once, and nothing else).
 */
public final class LoadPlan {

    private final List<PlannedConversation> conversations;

    private LoadPlan(List<PlannedConversation> conversations) {
        this.conversations = List.copyOf(conversations);
    }

    /**
     * {@code count} conversations, the scripts taking turns; every tenth channel delivers its first
     * message twice.
     */
    public static LoadPlan of(int count) {
        Script[] scripts = Script.values();
        List<PlannedConversation> conversations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            conversations.add(scripts[i % scripts.length].conversation(i, i % 10 == 3));
        }
        return new LoadPlan(conversations);
    }

    /**
     * {@code count} conversations for a chaos run, the scripts taking turns, with more faulty input
     * than {@link #of(int)}: every fifth channel delivers its first message twice at once, and every
     * fourth delivers its second step once more, late — after the third step was answered, just
     * before the fourth (every script has at least four steps).
     */
    public static LoadPlan chaos(int count) {
        Script[] scripts = Script.values();
        List<PlannedConversation> conversations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int late = i % 4 == 1 ? 1 : PlannedConversation.NO_LATE_REDELIVERY;
            conversations.add(scripts[i % scripts.length].conversation(i, i % 5 == 3, late));
        }
        return new LoadPlan(conversations);
    }

    /** Messages the channel delivers more than once (at once or late), each counted once. */
    public int redeliveredEventCount() {
        int redelivered = 0;
        for (PlannedConversation conversation : conversations) {
            if (conversation.redeliverFirst()) {
                redelivered += conversation.eventsOfStep(0).size();
            }
            if (conversation.lateRedeliveryStep() != PlannedConversation.NO_LATE_REDELIVERY) {
                redelivered += conversation.eventsOfStep(conversation.lateRedeliveryStep()).size();
            }
        }
        return redelivered;
    }

    public List<PlannedConversation> conversations() {
        return conversations;
    }

    public int eventCount() {
        return conversations.stream().mapToInt(c -> c.events().size()).sum();
    }

    /** Each customer's card number, or null when they have none: the loyalty accounts to open. */
    public Map<String, String> cardNumbersByCustomer() {
        Map<String, String> cards = new LinkedHashMap<>();
        conversations.forEach(c -> cards.put(c.userId(), c.cardNumber().orElse(null)));
        return cards;
    }

    /**
     * The idempotency keys the shop API must have applied a claim for: the request id of every
     * claim message's only call, and no other.
     */
    public Set<String> claimKeys() {
        Set<String> keys = new TreeSet<>();
        for (PlannedConversation conversation : conversations) {
            for (PlannedEvent event : conversation.events()) {
                if (event.write().orElse(null) instanceof BackendWrite.VoucherClaim) {
                    keys.add(Ids.request(conversation.id(), event.eventId(), 0, 0));
                }
            }
        }
        return keys;
    }

    /** How many redemptions each conversation asks for. */
    public Map<String, Integer> redemptionsByConversation() {
        Map<String, Integer> redemptions = new LinkedHashMap<>();
        for (PlannedConversation conversation : conversations) {
            for (PlannedEvent event : conversation.events()) {
                if (event.write().orElse(null) instanceof BackendWrite.Redemption) {
                    redemptions.merge(conversation.id(), 1, Integer::sum);
                }
            }
        }
        return redemptions;
    }

    /** The points each customer has left once every redemption was applied exactly once. */
    public Map<String, Integer> balances(int startingPoints) {
        Map<String, Integer> balances = new LinkedHashMap<>();
        for (PlannedConversation conversation : conversations) {
            int spent = 0;
            for (PlannedEvent event : conversation.events()) {
                if (event.write().orElse(null) instanceof BackendWrite.Redemption redemption) {
                    spent += redemption.points();
                }
            }
            balances.put(conversation.userId(), startingPoints - spent);
        }
        return balances;
    }
}
