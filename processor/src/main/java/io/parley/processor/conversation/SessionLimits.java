package io.parley.processor.conversation;

import java.time.Duration;

/**
 * Bounds on what a session remembers, so that a session's size does not grow with its age.
 *
 * @param lateAnswerWindow how long after its deadline a late answer is still recognised
 * @param lateTurns how many ended turns with unanswered calls are remembered
 * @param recentTurns how many finished turns are kept for context
 */
public record SessionLimits(Duration lateAnswerWindow, int lateTurns, int recentTurns) {

    public static SessionLimits defaults() {
        return new SessionLimits(Duration.ofMinutes(10), 3, 5);
    }
}
