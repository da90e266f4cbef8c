package io.parley.processor.flow;

import java.time.Duration;

/**
 * An intent's {@code mute:} or {@code unmute:} action: when the intent answers and the conversation holds a delivered
 * alert ({@code alert.*}), a mute command for the alert's device goes to the trigger-rules step (topic
 * {@code iot.mutes}). An unmute is a command whose mute ends at once.
 *
 * @param duration how long alerts stay muted (from the moment the user asks); zero for an unmute
 * @param scope what is muted: the alert's rule on its device, or every rule of the device
 * @param fromMessage whether a duration in the user's message ("mute for 3 hours") replaces {@code duration}
 */
public record MuteAction(Duration duration, Scope scope, boolean fromMessage) {

    /** The shortest mute a flow or a user may ask for. */
    public static final Duration MIN = Duration.ofMinutes(1);
    /** The longest mute a flow or a user may ask for. */
    public static final Duration MAX = Duration.ofDays(7);

    /** What a mute silences. */
    public enum Scope {
        /** The rule of the alert being answered, on its device (the default). */
        RULE,
        /** Every rule of the alert's device. */
        DEVICE
    }

    /** {@code unmute:}: alerts of the scope resume now. */
    public static MuteAction unmute(Scope scope) {
        return new MuteAction(Duration.ZERO, scope, false);
    }

    public boolean unmutes() {
        return duration.isZero();
    }

    /**
     * How long this turn mutes: the duration the user's message names when it names one, held within {@link #MIN}
     * and {@link #MAX} ("mute for 3 weeks" mutes for 7 days), else the flow's.
     */
    public Duration durationFor(String message) {
        if (unmutes() || !fromMessage) {
            return duration;
        }
        return SpokenDuration.find(message)
                .map(asked -> asked.compareTo(MIN) < 0 ? MIN : asked.compareTo(MAX) > 0 ? MAX : asked)
                .orElse(duration);
    }
}
