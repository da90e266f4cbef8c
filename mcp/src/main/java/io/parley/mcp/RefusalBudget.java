package io.parley.mcp;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * How many refused calls without an authenticated caller are audited one by one each second. Anyone who can reach the
 * endpoint can send such calls, so without a bound they could fill the audit stream and the log; beyond the bound they
 * are counted, and the next audited refusal says how many went before it unaudited. Thread-safe.
 */
final class RefusalBudget {

    private final int perSecond;
    private long second = Long.MIN_VALUE;
    private int admittedThisSecond;
    private long skipped;

    RefusalBudget(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1");
        }
        this.perSecond = perSecond;
    }

    /**
     * @return the number of refusals skipped since the last admitted one when this one is to be audited; empty when
     *     the second's budget is spent (this one is counted instead)
     */
    synchronized OptionalLong admit(Instant at) {
        long now = at.getEpochSecond();
        if (now != second) {
            second = now;
            admittedThisSecond = 0;
        }
        if (admittedThisSecond >= perSecond) {
            skipped++;
            return OptionalLong.empty();
        }
        admittedThisSecond++;
        long before = skipped;
        skipped = 0;
        return OptionalLong.of(before);
    }
}
