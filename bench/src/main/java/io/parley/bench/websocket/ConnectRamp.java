package io.parley.bench.websocket;

import io.parley.bench.load.NanoTimer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a fleet's connections, the same way for both placements: at a bounded rate, with a
 * bounded number of handshakes (connect, {@code hello} with the token, {@code ready}) in flight.
 */
final class ConnectRamp {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectRamp.class);

    /** A client connection that greets the gateway when it opens. */
    interface Greeting extends Session.Listener {
        /** Completes when the gateway answered the hello with {@code ready}; fails when the connection closed first. */
        CompletableFuture<Void> ready();

        /** Closes the connection from the bench's side (not counted as dropped). */
        void close();
    }

    private ConnectRamp() {
    }

    /** A started Jetty WebSocket client for many connections to one gateway. */
    static WebSocketClient startClient(String threadName) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName(threadName);
        threads.setDaemon(true);
        HttpClient http = new HttpClient();
        http.setExecutor(threads);
        // Each WebSocket takes a connection of its own; the handshakes in flight are bounded by open().
        http.setMaxConnectionsPerDestination(100_000);
        http.setMaxRequestsQueuedPerDestination(100_000);
        WebSocketClient client = new WebSocketClient(http);
        client.setIdleTimeout(Duration.ofMinutes(30));
        client.setStopTimeout(5_000);
        client.start();
        return client;
    }

    /**
     * Opens {@code count} connections made by {@code newConnection(i)}, at most {@code perSecond} a
     * second and {@code inFlight} handshakes at a time; adds the greeted ones to {@code established}
     * in the order they were greeted and returns once each is greeted or failed.
     */
    static <C extends Greeting> WebSocketFleet.ConnectOutcome open(WebSocketClient client, URI uri, NanoTimer timer, int count,
                                                                   double perSecond, int inFlight, Duration readyTimeout,
                                                                   IntFunction<C> newConnection, List<C> established)
            throws InterruptedException {
        Semaphore handshakes = new Semaphore(inFlight);
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        List<C> greeted = Collections.synchronizedList(new ArrayList<>());
        long start = timer.nanoTime();
        long gapNanos = (long) (1e9 / perSecond);
        for (int i = 0; i < count; i++) {
            timer.parkUntil(start + i * gapNanos);
            handshakes.acquire();
            C connection = newConnection.apply(i);
            try {
                client.connect(connection, new ClientUpgradeRequest(uri));
            } catch (Exception e) {
                connection.ready().completeExceptionally(e);
            }
            connection.ready().orTimeout(readyTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, failure) -> {
                if (failure == null) {
                    greeted.add(connection);
                } else {
                    failures.computeIfAbsent(reason(failure), r -> new AtomicInteger()).incrementAndGet();
                    connection.close();
                }
                handshakes.release();
            });
            if ((i + 1) % 1000 == 0) {
                LOG.info("WebSocket fleet: {} of {} connections attempted, {} greeted", i + 1, count, greeted.size());
            }
        }
        handshakes.acquire(inFlight);
        handshakes.release(inFlight);
        double seconds = (timer.nanoTime() - start) / 1e9;
        synchronized (greeted) {
            established.addAll(greeted);
        }
        Map<String, Integer> byReason = new TreeMap<>();
        failures.forEach((reason, n) -> byReason.put(reason, n.get()));
        return new WebSocketFleet.ConnectOutcome(count, greeted.size(), byReason, seconds);
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return "no ready frame in time";
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return cause.getClass().getSimpleName() + (message.length() > 80 ? message.substring(0, 80) : message);
    }
}
