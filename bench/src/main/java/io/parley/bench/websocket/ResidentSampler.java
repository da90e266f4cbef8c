package io.parley.bench.websocket;

import io.parley.bench.load.NanoTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a process's resident set every {@code period} while it runs, for its peak and its steady level. */
public final class ResidentSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResidentSampler.class);

    private record Sample(long nanos, long bytes) {
    }

    private final LongSupplier residentBytes;
    private final NanoTimer timer;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ResidentSampler(LongSupplier residentBytes, NanoTimer timer, Duration period) {
        this.residentBytes = residentBytes;
        this.timer = timer;
        this.thread = new Thread(() -> {
            long next = timer.nanoTime();
            while (running) {
                sample();
                next += period.toNanos();
                timer.parkUntil(next);
            }
        }, "bench-rss-sampler");
        thread.setDaemon(true);
    }

    public ResidentSampler start() {
        thread.start();
        return this;
    }

    /** Takes one reading now (also the sampler's own step). */
    public long sample() {
        try {
            long bytes = residentBytes.getAsLong();
            synchronized (samples) {
                samples.add(new Sample(timer.nanoTime(), bytes));
            }
            return bytes;
        } catch (RuntimeException e) {
            LOG.debug("No resident set reading: {}", e.toString());
            return -1;
        }
    }

    /** The largest reading so far. */
    public OptionalLong peak() {
        synchronized (samples) {
            return samples.stream().mapToLong(Sample::bytes).max();
        }
    }

    /** The last reading taken before {@code toNanos}. */
    public OptionalLong last(long toNanos) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.nanos() < toNanos).mapToLong(Sample::bytes).reduce((a, b) -> b);
        }
    }

    /** The median of the readings taken in {@code [fromNanos, toNanos)}. */
    public OptionalLong median(long fromNanos, long toNanos) {
        long[] within;
        synchronized (samples) {
            within = samples.stream().filter(s -> s.nanos() >= fromNanos && s.nanos() < toNanos).mapToLong(Sample::bytes)
                    .sorted().toArray();
        }
        return within.length == 0 ? OptionalLong.empty() : OptionalLong.of(within[within.length / 2]);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
