package io.parley.processor.flow;

import java.time.Duration;

/**
 * An intent's {@code mute:} action: when the intent answers and the conversation holds a delivered alert
 * ({@code alert.*}), a mute command for the alert's device goes to the trigger-rules step (topic {@code iot.mutes}).
 *
 * @param duration how long alerts stay muted (from the moment the user asks)
 * @param scope what is muted: the alert's rule on its device, or every rule of the device
 */
public record MuteAction(Duration duration, Scope scope) {

    /** The longest mute a flow may ask for. */
    public static final Duration MAX = Duration.ofDays(7);

    /** What a mute silences. */
    public enum Scope {
        /** The rule of the alert being answered, on its device (the default). */
        RULE,
        /** Every rule of the alert's device. */
        DEVICE
    }
}
