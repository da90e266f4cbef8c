package io.parley.bench.load;

import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The reply that answers a turn as the scenario intends. Any other reply still ends the turn,
 * and is counted under {@link #label(ChatReply)}.
 *
 * <p>A reply's kind alone does not say whether the backend answered: a flow's error template
 * ("Sorry, I can't look up orders right now") is an {@code ANSWER} too. So scenarios that measure
 * backend calls also name how the successful answer starts ("Order 1001 is"), and an answer
 * without it counts as {@value #OTHER_ANSWER}.
 *
 * @param kinds the kinds that may answer
 * @param textPrefix how an answering reply's text starts, if that matters
 */
public record ExpectedReply(Set<ReplyKind> kinds, Optional<String> textPrefix) {

    /** How an answer of the right kind but without the expected text is counted. */
    public static final String OTHER_ANSWER = "ANSWER without the result (backend error text)";

    public ExpectedReply {
        kinds = Set.copyOf(kinds);
        Objects.requireNonNull(textPrefix, "textPrefix");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("An expected reply needs at least one kind");
        }
    }

    /** Any reply of these kinds. */
    public static ExpectedReply ofKinds(ReplyKind first, ReplyKind... more) {
        return new ExpectedReply(EnumSet.of(first, more), Optional.empty());
    }

    /** Any reply at all. */
    public static ExpectedReply anyReply() {
        return new ExpectedReply(EnumSet.allOf(ReplyKind.class), Optional.empty());
    }

    /** An {@code ANSWER} whose text starts with {@code prefix}: the backend's result reached the user. */
    public static ExpectedReply answerStartingWith(String prefix) {
        return new ExpectedReply(EnumSet.of(ReplyKind.ANSWER), Optional.of(prefix));
    }

    /** Whether this reply answers the turn as intended. */
    public boolean matches(ChatReply reply) {
        return kinds.contains(reply.getKind()) && textPrefix.map(prefix -> reply.getText().startsWith(prefix)).orElse(true);
    }

    /** Whether a reply of this kind is an answer the turn waits for, rather than a still-working message. */
    public boolean isProgressOnly(ReplyKind kind) {
        return kind == ReplyKind.INTERIM && !kinds.contains(ReplyKind.INTERIM);
    }

    /** What an unexpected reply is counted as: its kind, or {@value #OTHER_ANSWER}. */
    public String label(ChatReply reply) {
        return kinds.contains(reply.getKind()) ? OTHER_ANSWER : reply.getKind().name();
    }
}
