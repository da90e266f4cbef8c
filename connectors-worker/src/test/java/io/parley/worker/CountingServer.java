package io.parley.worker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that takes {@code workMillis} per request and records how many
 * requests it was serving at once, to check concurrency limits by what the backend saw.
 *
 * <p>A server that {@linkplain #holdingFirst holds its first requests} answers none of them until that
 * many are in flight together (or a hold time has passed): whether a limit of n lets n calls out at once
 * then does not depend on how fast a loaded machine schedules the callers.
 */
final class CountingServer implements AutoCloseable {

    private static final Duration HOLD_AT_MOST = Duration.ofSeconds(5);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();

    CountingServer(long workMillis) throws IOException {
        this(workMillis, 0);
    }

    /**
     * A server whose first {@code count} requests wait for each other before their work, at most 5 s: well
     * inside the tests' connector timeouts, so a limit that lets fewer out fails on the count, not on a timeout.
     */
    static CountingServer holdingFirst(int count, long workMillis) throws IOException {
        return new CountingServer(workMillis, count);
    }

    private CountingServer(long workMillis, int heldRequests) throws IOException {
        CountDownLatch held = new CountDownLatch(heldRequests);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                try {
                    held.countDown();
                    held.await(HOLD_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
                    // The backend's own work: this is the server being slow, not the test waiting.
                    Thread.sleep(workMillis);
                } finally {
                    // Counted out before the answer leaves: once the client has the answer it may rightly
                    // send the next request, and this handler must no longer count as in flight then.
                    inFlight.decrementAndGet();
                }
                byte[] body = "{\"status\": \"OK\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                served.incrementAndGet();
                exchange.close();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    int served() {
        return served.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
