package io.parley.processor.flow;

import java.time.Duration;

/**
 * How long a turn may wait for its backends.
 *
 * @param interimAfter when a still-working message is sent if no answer came yet
 * @param deadline when the fallback reply is sent and the calls stop being awaited
 * @param lateReply whether an answer after the deadline is still delivered, as a follow-up
 */
public record Timing(Duration interimAfter, Duration deadline, boolean lateReply) {
}
