package io.parley.analytics;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.analytics.StatsDelta;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What one audit record adds to a bot's statistics for one bucket, decided where all of a
 * conversation's records are. Plain Java: the record, what is remembered of the conversation in
 * that bucket ({@link #SEEN}, {@link #UNCONTAINED}) and the utterance of a NO_MATCH in; the
 * delta and the new marks out.
 */
public final class ConversationStep {

    /** The conversation was active in the bucket. */
    public static final int SEEN = 1;
    /** The conversation had a fallback reply or a hand-over intent in the bucket. */
    public static final int UNCONTAINED = 2;

    /** The longest utterance kept; longer ones are cut (they are redacted already). */
    static final int MAX_UTTERANCE_CHARS = 200;

    private static final Set<AuditKind> ACTIVITY = EnumSet.of(AuditKind.INBOUND, AuditKind.INTENT, AuditKind.NO_MATCH,
            AuditKind.SLOT_PROMPT, AuditKind.BACKEND_REQUEST, AuditKind.BACKEND_RESPONSE, AuditKind.REPLY, AuditKind.INTERIM,
            AuditKind.TIMEOUT, AuditKind.LATE, AuditKind.ERROR);

    private final Set<String> handoverIntents;

    public ConversationStep(Set<String> handoverIntents) {
        this.handoverIntents = Set.copyOf(handoverIntents);
    }

    /** The delta (empty when the record changes nothing) and the conversation's marks after it. */
    public record Result(Optional<StatsDelta> delta, int marks) {
    }

    /**
     * @param marks what is remembered of the conversation in this bucket (0 when nothing)
     * @param noMatchText the redacted text of the user message a NO_MATCH answers, when known
     */
    public Result apply(String bot, Period period, AuditEvent event, int marks, Optional<String> noMatchText) {
        if (event.getConversationId() == null || !ACTIVITY.contains(event.getKind())) {
            return new Result(Optional.empty(), marks);
        }
        Instant bucket = period.bucketStart(event.getOccurredAt());
        StatsDelta.Builder delta = StatsDelta.newBuilder().setBot(bot).setPeriod(period.label()).setBucketStart(bucket);
        int after = marks | SEEN;
        delta.setNewConversation((marks & SEEN) == 0);
        boolean changed = delta.getNewConversation();
        switch (event.getKind()) {
            case INBOUND -> {
                delta.setTurn(true);
                changed = true;
            }
            case REPLY -> {
                if ("FALLBACK".equals(event.getStatus())) {
                    delta.setFallback(true);
                    after |= UNCONTAINED;
                    changed = true;
                }
            }
            case TIMEOUT -> {
                delta.setTimeout(true);
                changed = true;
            }
            case INTENT -> {
                if (event.getIntent() != null) {
                    delta.setIntent(event.getIntent());
                    changed = true;
                    if (handoverIntents.contains(event.getIntent())) {
                        after |= UNCONTAINED;
                    }
                }
            }
            case NO_MATCH -> {
                Optional<String> text = noMatchText.map(ConversationStep::normalise).filter(t -> !t.isEmpty());
                if (text.isPresent()) {
                    delta.setNoMatchText(text.get());
                    changed = true;
                }
            }
            case BACKEND_RESPONSE, LATE -> {
                if (event.getConnector() != null && event.getLatencyMs() != null) {
                    delta.setConnector(event.getConnector()).setLatencyMs(Math.max(0, event.getLatencyMs()))
                            .setFailed(!"OK".equals(event.getStatus()));
                    changed = true;
                }
            }
            default -> {
                // Activity only: it makes the conversation count in the bucket, nothing more.
            }
        }
        if ((after & UNCONTAINED) != 0 && (marks & UNCONTAINED) == 0) {
            delta.setNewlyUncontained(true);
            changed = true;
        }
        return new Result(changed ? Optional.of(delta.build()) : Optional.empty(), after);
    }

    /** Utterances are counted trimmed, in lower case, with runs of white space as one space. */
    static String normalise(String text) {
        String normal = text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return normal.length() > MAX_UTTERANCE_CHARS ? normal.substring(0, MAX_UTTERANCE_CHARS) : normal;
    }
}
