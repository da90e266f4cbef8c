package io.parley.worker.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * What the share and the classic consumer loops share: running until stopped, and starting again
 * after a failure nobody expected (a bug, a client in a state it cannot leave) instead of leaving
 * the worker without the loop. Each failure is logged once and counted; the next consumer starts
 * after {@link LoopRestarts}' backoff, cut short by {@link #stop()}.
 */
final class SupervisedLoop {

    /** One life of the loop: consumes with a new consumer until stopped or failed. */
    interface Body {
        void consume() throws InterruptedException;
    }

    private final Logger log;
    private final String name;
    private final String mode;
    private final String topic;
    private final LoopRestarts restarts;
    private final WorkerMetrics metrics;
    private final Object stopped = new Object();
    private volatile boolean running = true;

    /**
     * @param log the loop's own logger, where its failures are reported
     * @param name how the log names the loop ("share consumer loop")
     * @param mode the {@code mode} tag of the restart metric
     */
    SupervisedLoop(Logger log, String name, String mode, String topic, LoopRestarts restarts, WorkerMetrics metrics) {
        this.log = log;
        this.name = name;
        this.mode = mode;
        this.topic = topic;
        this.restarts = restarts;
        this.metrics = metrics;
    }

    boolean running() {
        return running;
    }

    /** Asks the loop to finish, and ends a backoff under way. */
    void stop() {
        running = false;
        synchronized (stopped) {
            stopped.notifyAll();
        }
    }

    /** Runs {@code body} until stopped, starting it again after each unexpected failure. */
    void run(Body body) {
        int failures = 0;
        while (running) {
            long started = System.nanoTime();
            try {
                body.consume();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures = restarts.failuresInARow(failures, Duration.ofNanos(System.nanoTime() - started));
                Duration wait = restarts.backoff(failures);
                metrics.loopRestarted(mode);
                log.error("The {} of {} failed ({} in a row); a new consumer starts in {} ms", name, topic, failures,
                        wait.toMillis(), e);
                if (!waitUnlessStopped(wait)) {
                    return;
                }
            }
        }
    }

    /** Waits, or less if stopped; false when interrupted. */
    private boolean waitUnlessStopped(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        synchronized (stopped) {
            while (running) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(stopped, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }
}
