package io.parley.bench.load;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

/**
 * The book of one load phase: when each turn was meant to start, which turns got a reply, and
 * the figures that follow.
 *
 * <p>Warm-up is the first {@code warmUp} turns. Latency is recorded for the later turns only,
 * measured from the turn's intended start (its scheduled time at a fixed rate, its send time at
 * maximum rate). Throughput counts expected replies after the warm-up-th completion, over the
 * time from that completion to the last one, so start-up (JIT, first fetches, task assignment)
 * does not dilute it.
 *
 * <p>The sender calls {@link #sent}; one collector thread calls {@link #replied} and
 * {@link #sendFailed} may come from the producer's I/O thread: completion methods are
 * synchronized. A listener hears each turn's first completion, to free an in-flight slot.
 */
public final class TurnLedger {

    private static final long NOT_SENT = Long.MIN_VALUE;
    /** Reported as the kind of a turn whose event could not even be produced. */
    public static final String SEND_FAILED = "SEND_FAILED";

    private final int messages;
    private final int warmUp;
    private final AtomicLongArray intendedNanos;
    private final boolean[] completed;
    private final LatencyHistogram latency;
    private final CountDownLatch outstanding;
    private final IntConsumer onFirstCompletion;

    private long completions;
    private long answered;
    private long answeredInWindow;
    private long duplicates;
    private long strays;
    private final Map<String, Long> otherReplies = new TreeMap<>();
    private long firstSentNanos = NOT_SENT;
    private long windowStartNanos = NOT_SENT;
    private long lastCompletionNanos = NOT_SENT;
    private long unansweredAtEnd = -1;

    /**
     * @param messages turns in the phase
     * @param warmUp leading turns left out of the figures, below {@code messages}
     * @param latency where post-warm-up latencies go
     * @param onFirstCompletion told the sequence number of each turn's first completion
     */
    public TurnLedger(int messages, int warmUp, LatencyHistogram latency, IntConsumer onFirstCompletion) {
        if (messages < 1) {
            throw new IllegalArgumentException("A load phase needs at least one message, not " + messages);
        }
        if (warmUp < 0 || warmUp >= messages) {
            throw new IllegalArgumentException("Warm-up must be between 0 and " + (messages - 1) + " turns, not " + warmUp);
        }
        this.messages = messages;
        this.warmUp = warmUp;
        this.intendedNanos = new AtomicLongArray(messages);
        for (int i = 0; i < messages; i++) {
            intendedNanos.set(i, NOT_SENT);
        }
        this.completed = new boolean[messages];
        this.latency = latency;
        this.outstanding = new CountDownLatch(messages);
        this.onFirstCompletion = onFirstCompletion;
    }

    /** Turn {@code seq} starts; {@code intendedNanos} is when it was meant to start. */
    public void sent(int seq, long intendedNanos) {
        this.intendedNanos.set(seq, intendedNanos);
        if (seq == 0) {
            synchronized (this) {
                firstSentNanos = intendedNanos;
                if (warmUp == 0) {
                    windowStartNanos = intendedNanos;
                }
            }
        }
    }

    /** What a reply meant for the ledger. */
    public enum Outcome {
        /** The turn's first reply. */
        FIRST,
        /** The turn had a reply already. */
        DUPLICATE,
        /** Not a turn of this phase (or not sent yet). */
        STRAY
    }

    /**
     * A reply for turn {@code seq} was consumed at {@code nowNanos}.
     *
     * @param kind the reply's kind, for counting the unexpected ones
     * @param expected whether this is the reply the turn should get
     */
    public synchronized Outcome replied(long seq, String kind, boolean expected, long nowNanos) {
        if (seq < 0 || seq >= messages || intendedNanos.get((int) seq) == NOT_SENT) {
            strays++;
            return Outcome.STRAY;
        }
        int turn = (int) seq;
        if (completed[turn]) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        if (turn >= warmUp) {
            latency.recordNanos(nowNanos - intendedNanos.get(turn));
        }
        if (expected) {
            answered++;
        } else {
            otherReplies.merge(kind, 1L, Long::sum);
        }
        complete(turn, expected, nowNanos);
        return Outcome.FIRST;
    }

    /**
     * A still-working message for turn {@code seq} was consumed: counted by its kind, but the turn
     * is not over, it waits for its answer (or fallback) as the user does.
     */
    public synchronized void progressed(long seq, String kind) {
        if (seq < 0 || seq >= messages || intendedNanos.get((int) seq) == NOT_SENT) {
            strays++;
            return;
        }
        otherReplies.merge(kind, 1L, Long::sum);
    }

    /** Turn {@code seq}'s event could not be produced; it completes without a reply. */
    public synchronized void sendFailed(int seq, long nowNanos) {
        if (completed[seq]) {
            return;
        }
        otherReplies.merge(SEND_FAILED, 1L, Long::sum);
        complete(seq, false, nowNanos);
    }

    private void complete(int turn, boolean expected, long nowNanos) {
        completed[turn] = true;
        completions++;
        if (completions == warmUp) {
            windowStartNanos = nowNanos;
        } else if (completions > warmUp && expected) {
            answeredInWindow++;
        }
        lastCompletionNanos = nowNanos;
        outstanding.countDown();
        onFirstCompletion.accept(turn);
    }

    /**
     * Waits until every turn completed, giving up when no turn completes for
     * {@code stallTimeout}; true when all completed.
     */
    public boolean awaitAll(Duration stallTimeout) throws InterruptedException {
        long seen = outstanding.getCount();
        while (!outstanding.await(stallTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
            long now = outstanding.getCount();
            if (now == seen) {
                return false;
            }
            seen = now;
        }
        return true;
    }

    /**
     * Closes the book at {@code endNanos}: each post-warm-up turn still without a reply is
     * recorded with the time it has waited so far, a lower bound, so a stall shows in the
     * percentiles instead of vanishing from them.
     */
    public synchronized void finish(long endNanos) {
        long unanswered = 0;
        for (int turn = 0; turn < messages; turn++) {
            if (completed[turn]) {
                continue;
            }
            unanswered++;
            long intended = intendedNanos.get(turn);
            if (turn >= warmUp && intended != NOT_SENT) {
                latency.recordNanos(endNanos - intended);
            }
        }
        unansweredAtEnd = unanswered;
        if (lastCompletionNanos == NOT_SENT) {
            lastCompletionNanos = endNanos;
        }
    }

    /** Expected replies per second over the measured window; empty when the window is empty. */
    public synchronized OptionalDouble throughputPerSecond() {
        if (windowStartNanos == NOT_SENT || lastCompletionNanos <= windowStartNanos || answeredInWindow == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(answeredInWindow / ((lastCompletionNanos - windowStartNanos) / 1e9));
    }

    public synchronized long answered() {
        return answered;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long strays() {
        return strays;
    }

    public synchronized Map<String, Long> otherReplies() {
        return Map.copyOf(otherReplies);
    }

    /** Turns without any completion; valid after {@link #finish(long)}. */
    public synchronized long unanswered() {
        if (unansweredAtEnd < 0) {
            throw new IllegalStateException("The ledger is still open; call finish first");
        }
        return unansweredAtEnd;
    }

    /** Seconds from the first turn's start to the last completion; zero before any. */
    public synchronized double elapsedSeconds() {
        if (firstSentNanos == NOT_SENT || lastCompletionNanos == NOT_SENT) {
            return 0;
        }
        return (lastCompletionNanos - firstSentNanos) / 1e9;
    }

    public int messages() {
        return messages;
    }

    public int warmUp() {
        return warmUp;
    }
}
