package io.parley.e2e.load;

import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parley's promise checked against what a channel received: every chat event has exactly one
 * reply that ends its handling, of the kind and text its flow gives (none lost, none duplicated,
 * none wrong), no reply is delivered twice, a still-working message comes at most once and before
 * the final reply, and a conversation's final replies arrive in the order of its events.
 *
 * <p>When the promise is broken, {@link #report()} says how, with a few offending events each.
 */
public final class ExactlyOnceVerdict {

    private static final int EXAMPLES = 5;

    private final int events;
    private final int conversations;
    private final Map<Category, List<String>> findings = new LinkedHashMap<>();
    private final Set<String> offendingEvents = new LinkedHashSet<>();
    private final Set<String> lostEvents = new LinkedHashSet<>();

    /** The ways the promise can be broken, in the order the report lists them. */
    enum Category {
        MISSING("missing (no final reply)"),
        DUPLICATED("duplicated"),
        WRONG("wrong kind or text"),
        OUT_OF_ORDER("out of order"),
        UNEXPECTED("unexpected (a reply to no planned event)");

        private final String title;

        Category(String title) {
            this.title = title;
        }
    }

    private ExactlyOnceVerdict(int events, int conversations) {
        this.events = events;
        this.conversations = conversations;
        for (Category category : Category.values()) {
            findings.put(category, new ArrayList<>());
        }
    }

    /**
     * @param sent the events the channel sent (an event never sent is reported as missing, saying so)
     */
    public static ExactlyOnceVerdict of(LoadPlan plan, ReplyLedger ledger, Set<String> sent) {
        ExactlyOnceVerdict verdict = new ExactlyOnceVerdict(plan.eventCount(), plan.conversations().size());
        Set<String> planned = new HashSet<>();
        for (PlannedConversation conversation : plan.conversations()) {
            planned.add(conversation.id());
            verdict.check(conversation, ledger.repliesOf(conversation.id()), sent);
        }
        for (String other : ledger.conversations()) {
            if (!planned.contains(other)) {
                verdict.add(Category.UNEXPECTED, other + ": " + ledger.repliesOf(other).size() + " replies in a conversation nobody had");
            }
        }
        return verdict;
    }

    private void check(PlannedConversation conversation, List<ChatReply> replies, Set<String> sent) {
        Map<String, Integer> deliveries = new HashMap<>();
        replies.forEach(reply -> deliveries.merge(reply.getReplyId(), 1, Integer::sum));
        deliveries.forEach((replyId, count) -> {
            if (count > 1) {
                add(Category.DUPLICATED, "reply " + replyId + " delivered " + count + " times");
            }
        });
        Map<String, List<ChatReply>> byEvent = replies.stream()
                .collect(Collectors.groupingBy(reply -> String.valueOf(reply.getInReplyTo()), LinkedHashMap::new, Collectors.toList()));
        for (PlannedEvent event : conversation.events()) {
            checkEvent(event, byEvent.getOrDefault(event.eventId(), List.of()), sent.contains(event.eventId()), replies);
        }
        byEvent.forEach((inReplyTo, unplanned) -> {
            if (conversation.event(inReplyTo).isEmpty()) {
                add(Category.UNEXPECTED, conversation.id() + ": " + describe(unplanned) + " in reply to " + inReplyTo);
            }
        });
        List<String> concludedInOrder = replies.stream()
                .filter(ExpectedReply::concludes)
                .map(ChatReply::getInReplyTo)
                .distinct()
                .toList();
        List<String> expectedOrder = conversation.replyOrder().stream().filter(concludedInOrder::contains).toList();
        if (!concludedInOrder.stream().filter(expectedOrder::contains).toList().equals(expectedOrder)) {
            add(Category.OUT_OF_ORDER, conversation.id() + ": final replies expected for " + expectedOrder + ", arrived for "
                    + concludedInOrder);
        }
    }

    private void checkEvent(PlannedEvent event, List<ChatReply> replies, boolean sent, List<ChatReply> conversation) {
        List<ChatReply> concluding = replies.stream().filter(ExpectedReply::concludes).toList();
        List<ChatReply> interims = replies.stream().filter(reply -> reply.getKind() == ReplyKind.INTERIM).toList();
        String subject = event.eventId() + " \"" + event.text() + "\" expected " + event.expected();
        int before = findingCount();
        if (concluding.isEmpty()) {
            lostEvents.add(event.eventId());
            add(Category.MISSING, subject + " — " + (sent ? "received " + describe(replies)
                    + "; the conversation got " + describe(conversation) : "never sent: the conversation stalled before it"));
        } else if (concluding.size() > 1) {
            add(Category.DUPLICATED, subject + " — received " + concluding.size() + " final replies: " + describe(concluding));
        } else if (!event.expected().matches(concluding.get(0))) {
            add(Category.WRONG, subject + " — received " + describe(concluding));
        }
        if (interims.size() > 1) {
            add(Category.DUPLICATED, subject + " — received " + interims.size() + " still-working messages");
        }
        if (!interims.isEmpty() && !concluding.isEmpty() && replies.indexOf(interims.get(0)) > replies.indexOf(concluding.get(0))) {
            add(Category.OUT_OF_ORDER, subject + " — the still-working message came after the final reply: " + describe(replies));
        }
        if (findingCount() > before) {
            offendingEvents.add(event.eventId());
        }
    }

    private int findingCount() {
        return findings.values().stream().mapToInt(List::size).sum();
    }

    /** The planned events with a finding of their own, in the order found. */
    public Set<String> offendingEvents() {
        return Collections.unmodifiableSet(offendingEvents);
    }

    private static String describe(List<ChatReply> replies) {
        if (replies.isEmpty()) {
            return "nothing";
        }
        return replies.stream()
                .map(reply -> reply.getKind() + " \"" + reply.getText() + "\" (" + reply.getReplyId() + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private void add(Category category, String finding) {
        findings.get(category).add(finding);
    }

    /** The planned events without a final reply (lost messages). */
    public Set<String> lostEvents() {
        return Collections.unmodifiableSet(lostEvents);
    }

    /** Findings of events without their final reply (lost messages). */
    public int lost() {
        return findings.get(Category.MISSING).size();
    }

    /** Findings of replies delivered more than once or of events with more than one final reply. */
    public int duplicated() {
        return findings.get(Category.DUPLICATED).size();
    }

    /** Findings of wrong, out-of-order or unexpected replies. */
    public int otherFindings() {
        return findings.get(Category.WRONG).size() + findings.get(Category.OUT_OF_ORDER).size()
                + findings.get(Category.UNEXPECTED).size();
    }

    /** Whether every event got exactly its one final reply, in order, and nothing else went wrong. */
    public boolean holds() {
        return findings.values().stream().allMatch(List::isEmpty);
    }

    /** What went wrong, by category, with a few offending events each; or a one-line summary when nothing did. */
    public String report() {
        if (holds()) {
            return "exactly one final reply for each of " + events + " events in " + conversations + " conversations";
        }
        StringBuilder report = new StringBuilder("Exactly-once broken for " + events + " events in " + conversations
                + " conversations:");
        findings.forEach((category, found) -> {
            if (found.isEmpty()) {
                return;
            }
            report.append("\n  ").append(category.title).append(": ").append(found.size());
            found.stream().limit(EXAMPLES).forEach(finding -> report.append("\n    ").append(finding));
            if (found.size() > EXAMPLES) {
                report.append("\n    …and ").append(found.size() - EXAMPLES).append(" more");
            }
        });
        return report.toString();
    }

    @Override
    public String toString() {
        return report();
    }
}
