package io.parley.bench.load;

import java.util.Objects;

/**
 * Event ids of a load phase, {@code <phase>-<seq>}: the reply's {@code inReplyTo} carries the
 * id back, which tells the collector which turn it answers, and whether it belongs to this
 * phase at all (replies of an earlier phase can still arrive).
 */
public final class TurnIds {

    /** Returned by {@link #sequenceOf(String)} for an id that is not of this phase. */
    public static final long FOREIGN = -1;

    private final String phase;
    private final String prefix;

    public TurnIds(String phase) {
        this.phase = Objects.requireNonNull(phase, "phase");
        this.prefix = phase + "-";
    }

    public String eventId(long seq) {
        return prefix + seq;
    }

    /** The turn an id names, or {@link #FOREIGN}. */
    public long sequenceOf(String eventId) {
        if (eventId == null || !eventId.startsWith(prefix) || eventId.length() == prefix.length()) {
            return FOREIGN;
        }
        try {
            long seq = Long.parseLong(eventId, prefix.length(), eventId.length(), 10);
            return seq >= 0 ? seq : FOREIGN;
        } catch (NumberFormatException e) {
            return FOREIGN;
        }
    }

    public String phase() {
        return phase;
    }
}
