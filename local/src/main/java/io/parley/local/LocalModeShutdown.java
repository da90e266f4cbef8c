package io.parley.local;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what local mode runs, the latest started first, exactly once: when the run ends normally
 * ({@link #close()}) or when the JVM is asked to stop (Ctrl-C, SIGTERM), from a shutdown hook —
 * so that Kafka Streams commits, the worker hands back its requests and the broker flushes its log
 * instead of being cut off.
 */
final class LocalModeShutdown implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalModeShutdown.class);

    private final Deque<AutoCloseable> components = new ArrayDeque<>();
    private final Runnable onSignal;
    private boolean closed;

    private LocalModeShutdown(Runnable onSignal) {
        this.onSignal = onSignal;
    }

    /**
     * A sequence whose shutdown hook is installed.
     *
     * @param onSignal told first when the JVM is asked to stop before the run ended (e.g. to say "Stopping")
     */
    static LocalModeShutdown installed(Runnable onSignal) {
        LocalModeShutdown sequence = new LocalModeShutdown(onSignal);
        Runtime.getRuntime().addShutdownHook(new Thread(sequence::onShutdown, "parley-local-shutdown"));
        return sequence;
    }

    /** Registers something to close before everything registered earlier; closes it at once when stopping already. */
    synchronized <T extends AutoCloseable> T add(T component) {
        if (closed) {
            closeQuietly(component);
            throw new IllegalStateException("Local mode is stopping");
        }
        components.push(component);
        return component;
    }

    @Override
    public synchronized void close() {
        closed = true;
        while (!components.isEmpty()) {
            closeQuietly(components.pop());
        }
    }

    private void onShutdown() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        onSignal.run();
        close();
    }

    private static void closeQuietly(AutoCloseable component) {
        try {
            component.close();
        } catch (Exception e) {
            // Keep closing the rest: the broker must still get its clean stop when a client did not.
            LOG.warn("Local mode: {} did not stop cleanly", component.getClass().getSimpleName(), e);
        }
    }
}
