package io.parley.processor.conversation;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.state.Session;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who may act on a conversation: a session belongs to the user who started it. An event from
 * another user for a conversation that has a session is refused, unless its channel declares
 * shared conversations (agent hand-over, group chats); an ERASE is refused from anyone but the
 * owner, whatever the channel, since it only erases what belongs to the user asking.
 *
 * <p>A conversation without a session (never started, ended, erased or expired) can be started by
 * anyone; the user who does owns it.
 */
public final class SessionOwnership {

    /** The metric tag and dead-letter reason of a refused event. */
    public static final String REFUSED = "foreign-user";

    private final Predicate<String> sharedChannel;

    /**
     * @param sharedChannel whether a channel's events may continue conversations other users started
     */
    public SessionOwnership(Predicate<String> sharedChannel) {
        this.sharedChannel = sharedChannel;
    }

    /**
     * Why the event must be refused, or empty when its user may act on the conversation.
     *
     * @param stored the conversation's session, or {@code null} when there is none
     * @return a description naming no user or content, for the dead-letter header and the audit record
     */
    public Optional<String> refusal(Session stored, ChatEvent event) {
        if (stored == null || stored.getUserId().equals(event.getUserId())) {
            return Optional.empty();
        }
        if (event.getType() == ChatEventType.ERASE) {
            return Optional.of("an ERASE from a user who does not own the conversation");
        }
        if (sharedChannel.test(event.getChannel())) {
            return Optional.empty();
        }
        return Optional.of("the conversation belongs to another user and the event's channel does not share conversations");
    }
}
