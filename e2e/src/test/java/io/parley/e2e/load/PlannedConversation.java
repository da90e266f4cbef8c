package io.parley.e2e.load;

import java.util.List;
import java.util.Optional;

/**
 * A conversation the load sends: who talks, what they say, and what each message must get.
 *
 * @param id the conversation id (the record key)
 * @param userId the authenticated user
 * @param cardNumber the user's membership card, if they have one
 * @param events the messages, in the order they are sent
 * @param replyOrder event ids in the order their concluding replies must arrive: the order of the
 *                   events, except that a superseded lookup's follow-up comes after the reply to
 *                   the message that superseded it
 * @param redeliverFirst whether the channel delivers the first message twice (at-least-once channels do)
 * @param lateRedeliveryStep the step whose messages the channel delivers once more, late: with their
 *                           original ids, payloads and timestamps, after the next step was answered and
 *                           just before the step after it (an earlier message arriving after later ones);
 *                           {@link #NO_LATE_REDELIVERY} for none
 */
public record PlannedConversation(String id, String userId, Optional<String> cardNumber, List<PlannedEvent> events,
                                  List<String> replyOrder, boolean redeliverFirst, int lateRedeliveryStep) {

    public static final int NO_LATE_REDELIVERY = -1;

    public PlannedConversation {
        events = List.copyOf(events);
        replyOrder = List.copyOf(replyOrder);
    }

    /** The number of steps (groups of events sent together). */
    public int steps() {
        return events.stream().mapToInt(PlannedEvent::step).max().orElse(-1) + 1;
    }

    public List<PlannedEvent> eventsOfStep(int step) {
        return events.stream().filter(event -> event.step() == step).toList();
    }

    public Optional<PlannedEvent> event(String eventId) {
        return events.stream().filter(event -> event.eventId().equals(eventId)).findFirst();
    }
}
