package io.parley.processor;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the state changes of the processor's Kafka Streams and lets callers wait for RUNNING or for the stop. */
final class StreamsStateWatch implements KafkaStreams.StateListener {

    /** The processor's own logger category: its state lines are part of its start and stop. */
    private static final Logger LOG = LoggerFactory.getLogger(ParleyProcessor.class);

    private final KafkaStreams streams;
    private final StartTimeline timeline;
    private final Object stateChanged = new Object();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    StreamsStateWatch(KafkaStreams streams, StartTimeline timeline) {
        this.streams = streams;
        this.timeline = timeline;
    }

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        LOG.info("Processor state {} -> {}", oldState, newState);
        if (newState == KafkaStreams.State.RUNNING) {
            timeline.running();
        }
        wakeWaiters();
    }

    /** Keeps the first exception that stopped a stream thread, for {@link ParleyProcessor#failure()}. */
    void failed(Throwable exception) {
        failure.compareAndSet(null, exception);
    }

    /** See {@link ParleyProcessor#failure()}. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Wakes the waiting callers so they read the state again (after a close). */
    void wakeWaiters() {
        synchronized (stateChanged) {
            stateChanged.notifyAll();
        }
    }

    /** See {@link ParleyProcessor#awaitRunning(Duration)}. */
    boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateChanged) {
            while (true) {
                KafkaStreams.State state = streams.state();
                if (state == KafkaStreams.State.RUNNING) {
                    return true;
                }
                if (!state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
                    throw new IllegalStateException("The processor did not start: it is " + state + " (see the log)");
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(stateChanged, remaining);
            }
        }
    }

    /** See {@link ParleyProcessor#awaitTermination()}. */
    boolean awaitTermination() throws InterruptedException {
        synchronized (stateChanged) {
            while (streams.state() != KafkaStreams.State.NOT_RUNNING && streams.state() != KafkaStreams.State.ERROR) {
                stateChanged.wait();
            }
            return streams.state() == KafkaStreams.State.NOT_RUNNING;
        }
    }
}
