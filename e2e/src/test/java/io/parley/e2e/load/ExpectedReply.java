package io.parley.e2e.load;

import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * The reply that ends the handling of one chat event: its kind and its exact text.
 *
 * @param kind ANSWER, FALLBACK, ERROR, FOLLOW_UP, or PROMPT when the flow asks a question back
 * @param text the text the user sees
 */
public record ExpectedReply(ReplyKind kind, String text) {

    /** The kinds that end an event's handling; INTERIM comes before one of them, NOTIFICATION is not a reply to an event. */
    public static final Set<ReplyKind> CONCLUDING = EnumSet.of(ReplyKind.ANSWER, ReplyKind.FALLBACK, ReplyKind.ERROR,
            ReplyKind.FOLLOW_UP, ReplyKind.PROMPT);

    public static boolean concludes(ChatReply reply) {
        return CONCLUDING.contains(reply.getKind());
    }

    public boolean matches(ChatReply reply) {
        return reply.getKind() == kind && reply.getText().equals(text);
    }

    @Override
    public String toString() {
        return kind + " \"" + text + "\"";
    }
}
