package io.parley.e2e.load;

import io.parley.schemas.ChatReply;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plays the users of a {@link LoadPlan}: up to {@code concurrency} conversations at a time, each
 * sending its next step once every message of the previous one has its concluding reply — the
 * way people wait for the bot before typing again. Driven by the replies as they are read.
 */
public final class ConversationDriver {

    private final ChatChannel channel;
    private final ReplyLedger ledger;
    private final int concurrency;
    private final Deque<PlannedConversation> waiting;
    private final Map<String, Progress> active = new HashMap<>();
    private final Set<String> sent = new TreeSet<>();
    private int finished;

    public ConversationDriver(LoadPlan plan, ChatChannel channel, ReplyLedger ledger, int concurrency) {
        this.channel = channel;
        this.ledger = ledger;
        this.concurrency = concurrency;
        this.waiting = new ArrayDeque<>(plan.conversations());
    }

    /** Opens the first conversations. */
    public synchronized void start() {
        fill();
    }

    /** A reply was read (and recorded in the ledger): its conversation may go on. */
    public synchronized void onReply(ChatReply reply) {
        Progress progress = active.get(reply.getConversationId());
        if (progress == null || !progress.stepConcluded()) {
            return;
        }
        if (progress.hasMoreSteps()) {
            progress.sendNextStep();
        } else {
            active.remove(progress.conversation.id());
            finished++;
            fill();
        }
    }

    public synchronized boolean isFinished() {
        return waiting.isEmpty() && active.isEmpty();
    }

    public synchronized int finishedConversations() {
        return finished;
    }

    /** Ids of the events sent so far. */
    public synchronized Set<String> sentEvents() {
        return Set.copyOf(sent);
    }

    private void fill() {
        while (active.size() < concurrency && !waiting.isEmpty()) {
            Progress progress = new Progress(waiting.poll());
            active.put(progress.conversation.id(), progress);
            progress.sendNextStep();
        }
    }

    /** How far a conversation has got: the steps sent so far. */
    private final class Progress {

        private final PlannedConversation conversation;
        private int stepsSent;

        Progress(PlannedConversation conversation) {
            this.conversation = conversation;
        }

        boolean stepConcluded() {
            return conversation.eventsOfStep(stepsSent - 1).stream().allMatch(event -> ledger.hasConcluded(event.eventId()));
        }

        boolean hasMoreSteps() {
            return stepsSent < conversation.steps();
        }

        void sendNextStep() {
            int late = conversation.lateRedeliveryStep();
            if (late != PlannedConversation.NO_LATE_REDELIVERY && stepsSent == late + 2) {
                conversation.eventsOfStep(late).forEach(channel::redeliver);
            }
            for (PlannedEvent event : conversation.eventsOfStep(stepsSent)) {
                int copies = stepsSent == 0 && conversation.redeliverFirst() ? 2 : 1;
                channel.send(conversation, event, copies);
                sent.add(event.eventId());
            }
            stepsSent++;
        }
    }
}
