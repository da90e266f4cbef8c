package io.parley.local.chat;

import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The replies the console chat received, so that a scripted chat can wait until the replies to
 * what it sent have settled before it sends the next line.
 */
final class ReplyInbox {

    /** Reply kinds that end the processor's work on an event: nothing more follows them. */
    static final Set<ReplyKind> FINAL_KINDS =
            EnumSet.of(ReplyKind.ANSWER, ReplyKind.FALLBACK, ReplyKind.ERROR, ReplyKind.FOLLOW_UP, ReplyKind.PROMPT);

    /** How a wait ended. */
    enum Outcome {
        /** The reply that settles what was sent arrived. */
        SETTLED,
        /** Nothing settled it, but no reply came for the quiet period, for something that may get none. */
        QUIET,
        /** The timeout passed without a settling reply. */
        TIMED_OUT
    }

    /**
     * What settles something sent: a reply that matches, or — when {@code quietSettles} — a quiet
     * period without replies.
     */
    record Expectation(Predicate<ChatReply> settles, boolean quietSettles) {

        /** A message gets exactly one final reply; interim replies come before it. */
        static Expectation finalReplyTo(String eventId) {
            return new Expectation(reply -> eventId.equals(reply.getInReplyTo()) && FINAL_KINDS.contains(reply.getKind()), false);
        }

        /** Session starts and erasures may be answered (a greeting, a confirmation) or not. */
        static Expectation finalReplyOrQuiet(String eventId) {
            return new Expectation(finalReplyTo(eventId).settles(), true);
        }

        /** A notification is delivered to the user, or dropped (expired, undeliverable) with no reply. */
        static Expectation notificationOrQuiet() {
            return new Expectation(reply -> reply.getKind() == ReplyKind.NOTIFICATION, true);
        }
    }

    private static final Duration WAIT_SLICE = Duration.ofMillis(100);

    private record Arrival(ChatReply reply, Instant at) {
    }

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<Arrival> arrivals = new ArrayList<>();

    ReplyInbox(Clock clock) {
        this.clock = clock;
    }

    void add(ChatReply reply) {
        lock.lock();
        try {
            arrivals.add(new Arrival(reply, clock.instant()));
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A position in the inbox: take it before sending, and wait for replies after it. */
    int mark() {
        lock.lock();
        try {
            return arrivals.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a reply after {@code mark} settles the expectation, or (when allowed) no reply
     * has come for {@code quietPeriod}, or {@code timeout} has passed since {@code sentAt}.
     * Time is read from the clock.
     */
    Outcome await(Expectation expectation, int mark, Instant sentAt, Duration timeout, Duration quietPeriod)
            throws InterruptedException {
        Instant deadline = sentAt.plus(timeout);
        lock.lock();
        try {
            while (true) {
                Instant lastActivity = sentAt;
                for (Arrival arrival : arrivals.subList(mark, arrivals.size())) {
                    if (expectation.settles().test(arrival.reply())) {
                        return Outcome.SETTLED;
                    }
                    lastActivity = arrival.at().isAfter(lastActivity) ? arrival.at() : lastActivity;
                }
                Instant now = clock.instant();
                Instant quietEnd = lastActivity.plus(quietPeriod);
                if (expectation.quietSettles() && !now.isBefore(quietEnd)) {
                    return Outcome.QUIET;
                }
                if (!now.isBefore(deadline)) {
                    return Outcome.TIMED_OUT;
                }
                Instant wakeUp = expectation.quietSettles() && quietEnd.isBefore(deadline) ? quietEnd : deadline;
                // Time comes from the injected clock, so a real wait is only a short slice before it is read again.
                long untilWakeUp = Math.max(1, Duration.between(now, wakeUp).toMillis());
                arrived.await(Math.min(untilWakeUp, WAIT_SLICE.toMillis()), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }
}
