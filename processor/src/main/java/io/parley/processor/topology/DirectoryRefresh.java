package io.parley.processor.topology;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.state.Session;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides which accepted chat events update the user directory. The directory says where a
 * notification for a user goes: the conversation the user most recently <em>started</em>, or came
 * back to after at least {@code refreshAfter} of quiet, or wrote in from another channel or locale.
 *
 * <p>Publishing every event would say "the conversation most recently written in", at three records
 * per turn (the repartition record, the directory's changelog record and its read back) for an
 * entry that stays the same while a user chats on. The rule keeps those records to the moments the
 * answer can change for a user in one conversation. For a user active in several conversations at
 * once, a notification goes to the one started (or resumed after the quiet time) last, not to the
 * one whose message happened to come last; within {@code refreshAfter} of two conversations both
 * being active, either is a reasonable place to be reached.
 *
 * <p>Events other than messages and postbacks (session start and end, erase) always update it: they
 * are rare, and an erase must remove the user.
 */
public final class DirectoryRefresh {

    private final long refreshAfterMillis;

    /** @param refreshAfter how long a conversation must have been quiet for its next message to point the directory at it again */
    public DirectoryRefresh(Duration refreshAfter) {
        this.refreshAfterMillis = refreshAfter.toMillis();
    }

    /**
     * @param stored the conversation's session before this event, null when there is none
     * @param event an event the conversation accepted
     * @param now the processing time, the clock the session's last activity is kept in
     */
    public boolean publishes(Session stored, ChatEvent event, long now) {
        if (stored == null || !isChat(event.getType())) {
            return true;
        }
        return !stored.getUserId().equals(event.getUserId())
                || !Objects.equals(stored.getChannel(), event.getChannel())
                || (event.getLocale() != null && !Objects.equals(stored.getLocale(), event.getLocale()))
                || now - stored.getLastActiveAt().toEpochMilli() >= refreshAfterMillis;
    }

    private static boolean isChat(ChatEventType type) {
        return type == ChatEventType.MESSAGE || type == ChatEventType.POSTBACK;
    }
}
