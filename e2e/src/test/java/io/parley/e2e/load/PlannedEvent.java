package io.parley.e2e.load;

import java.util.Optional;

/**
 * One message a user sends in a planned conversation.
 *
 * @param eventId the chat event id (unique in the run)
 * @param text what the user types
 * @param step events of the same step are sent together; a step is sent once every event of the
 *             previous one has its concluding reply (a user who waits for the bot, or types twice quickly)
 * @param expected the one reply that must end its handling
 * @param write what the message changes in a backend, if anything
 */
public record PlannedEvent(String eventId, String text, int step, ExpectedReply expected, Optional<BackendWrite> write) {
}
