package io.parley.e2e.chaos;

import io.parley.e2e.env.Pipeline;
import io.parley.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a chaos plan on its own thread: each {@link Fault.Planned} fault when the load has
 * finished its share of conversations, one after the other, and keeps a timeline of what it did.
 * A fault that cannot be carried out (a replacement that does not start) stops the plan and is
 * reported by {@link #failure()}.
 */
public final class ChaosMonkey implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosMonkey.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final List<Fault.Planned> plan;
    private final Pipeline pipeline;
    private final Fleet fleet;
    private final PoisonRecords poison;
    private final IntSupplier finished;
    private final int conversations;
    private final Thread thread;
    private final List<String> timeline = new ArrayList<>();
    private final Instant started = Instant.now();
    private volatile boolean running = true;
    private volatile Throwable failure;
    private int brokerRestarts;
    private int storms;
    private int slowPeriods;
    private int done;

    public ChaosMonkey(List<Fault.Planned> plan, Pipeline pipeline, Fleet fleet, PoisonRecords poison, IntSupplier finished,
                       int conversations) {
        this.plan = List.copyOf(plan);
        this.pipeline = pipeline;
        this.fleet = fleet;
        this.poison = poison;
        this.finished = finished;
        this.conversations = conversations;
        this.thread = new Thread(this::run, "chaos-monkey");
    }

    public ChaosMonkey start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            for (Fault.Planned planned : plan) {
                int due = (int) Math.ceil(planned.atFraction() * conversations);
                while (running && finished.getAsInt() < due) {
                    Thread.sleep(POLL.toMillis());
                }
                if (!running) {
                    return;
                }
                long at = System.nanoTime();
                apply(planned.fault());
                note(planned.fault() + " at " + finished.getAsInt() + " finished conversations, took "
                        + Duration.ofNanos(System.nanoTime() - at).toMillis() + " ms");
                synchronized (this) {
                    done++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
            note("FAILED: " + e);
            LOG.error("The chaos plan stopped", e);
        } finally {
            // Whatever happened, the backend is healthy again when the plan ends.
            pipeline.shop().endStorm();
            pipeline.shop().speedUp();
        }
    }

    private void apply(Fault fault) throws InterruptedException {
        if (fault instanceof Fault.KillProcessor) {
            fleet.killProcessor();
        } else if (fault instanceof Fault.PauseThenKillProcessor pause) {
            fleet.pauseThenKillProcessor(pause.length(), pause.zombie());
        } else if (fault instanceof Fault.KillWorker kill) {
            fleet.killWorker(kill.index());
        } else if (fault instanceof Fault.RestartBroker restart) {
            pipeline.kafka().stopBroker();
            Thread.sleep(restart.down().toMillis());
            pipeline.kafka().startBroker();
            synchronized (this) {
                brokerRestarts++;
            }
        } else if (fault instanceof Fault.Storm storm) {
            pipeline.shop().startStorm();
            try {
                Thread.sleep(storm.length().toMillis());
            } finally {
                pipeline.shop().endStorm();
            }
            synchronized (this) {
                storms++;
            }
        } else if (fault instanceof Fault.SlowBackend slow) {
            pipeline.shop().slowDown(slow.delay());
            try {
                Thread.sleep(slow.length().toMillis());
            } finally {
                pipeline.shop().speedUp();
            }
            synchronized (this) {
                slowPeriods++;
            }
        } else if (fault instanceof Fault.Poison dose) {
            Topics topics = pipeline.topics();
            poison.inject(topics.chatEvents().name(), dose.count());
            poison.inject(topics.backendResponses().name(), dose.count());
            poison.inject(topics.backendRequests().name(), dose.count());
        } else {
            throw new IllegalArgumentException("unknown fault " + fault);
        }
    }

    private synchronized void note(String line) {
        timeline.add("+" + Duration.between(started, Instant.now()).toSeconds() + "s " + line);
    }

    /** Whether every planned fault was carried out. */
    public synchronized boolean completed() {
        return done == plan.size();
    }

    /** Why the plan stopped, when a fault could not be carried out. */
    public Throwable failure() {
        return failure;
    }

    public synchronized List<String> timeline() {
        return List.copyOf(timeline);
    }

    public synchronized int brokerRestarts() {
        return brokerRestarts;
    }

    public synchronized int storms() {
        return storms;
    }

    public synchronized int slowPeriods() {
        return slowPeriods;
    }

    /** Stops the plan where it is (the fault under way finishes) and waits for the thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(Duration.ofMinutes(3).toMillis());
    }
}
