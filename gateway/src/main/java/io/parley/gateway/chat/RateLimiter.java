package io.parley.gateway.chat;

import java.time.Clock;

/**
 * A token bucket: {@code perSecond} messages a second on average, bursts of up to {@code burst}.
 * One per connection, so it is only touched by that connection's thread at a time; synchronized
 * anyway because the transports do not promise it.
 */
public final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private double tokens;
    private long lastNanosEquivalent;

    public RateLimiter(double perSecond, int burst, Clock clock) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("perSecond must be > 0 and burst >= 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.lastNanosEquivalent = clock.millis();
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryAcquire() {
        long now = clock.millis();
        long elapsed = Math.max(0, now - lastNanosEquivalent);
        lastNanosEquivalent = now;
        tokens = Math.min(burst, tokens + elapsed * perSecond / 1000.0);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
