package io.parley.bench.load;

import java.time.Duration;
import java.util.List;

/**
 * When a closed loop has settled: over the last {@code window}, enough replies came and none of
 * them had waited longer than {@code longestWait}. Freshly started JVMs compile their hot code for
 * the first minute or so (on two cores the JIT compilers of five JVMs took most of the CPU in the
 * first S6 runs), and an event fired then measures the warm-up as much as the event.
 *
 * @param window how far back the replies are looked at
 * @param longestWait the longest wait a settled loop shows in that window
 * @param minReplies the replies the window must hold (a loop that answers nothing has not settled)
 */
public record SteadyState(Duration window, Duration longestWait, int minReplies) {

    public SteadyState {
        if (window.isNegative() || window.isZero() || longestWait.isNegative() || minReplies < 1) {
            throw new IllegalArgumentException("A steady state needs a positive window and wait and at least one reply: " + this);
        }
    }

    /** Whether the replies received in the window before {@code now} ({@link NanoTimer} time) show a settled loop. */
    public boolean reachedAt(List<ClosedLoopChat.Reply> replies, long now) {
        long from = now - window.toNanos();
        int inWindow = 0;
        for (ClosedLoopChat.Reply reply : replies) {
            if (reply.receivedAt() >= from && reply.receivedAt() <= now) {
                if (reply.waitNanos() > longestWait.toNanos()) {
                    return false;
                }
                inWindow++;
            }
        }
        return inWindow >= minReplies;
    }
}
