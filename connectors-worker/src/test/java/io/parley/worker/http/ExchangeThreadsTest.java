package io.parley.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import io.parley.worker.connector.AttemptContext;
import io.parley.worker.connector.AttemptOutcome;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connector's HTTP exchanges run on the calling thread and the client's selector thread: the JDK
 * client's default executor, a pool of its own, woke one of its threads for every response (two to
 * three thread switches a call), and those threads took CPU from the processor on small hosts.
 */
class ExchangeThreadsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** The threads of an HTTP client's default executor ({@code HttpClient-<client>-Worker-<n>}). */
    private static final Pattern CLIENT_POOL_THREAD = Pattern.compile("HttpClient-\\d+-Worker-\\d+");

    private HttpServer server;
    private HttpTransport transport;
    private ExecutorService callers;
    private ExecutorService serverThreads;

    @AfterEach
    void stop() {
        if (callers != null) {
            callers.shutdownNow();
        }
        if (transport != null) {
            transport.close();
        }
        if (server != null) {
            server.stop(0);
        }
        if (serverThreads != null) {
            serverThreads.shutdownNow();
        }
    }

    @Test
    void callsAreAnsweredWithoutAPoolOfTheClientsOwn() throws Exception {
        // Given a backend on loopback, and the client-pool threads already running in this JVM
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            byte[] body = "{\"status\": \"SHIPPED\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.start();
        Set<String> poolThreadsBefore = clientPoolThreads();
        transport = new HttpTransport("orders", GuardedClients.of(TIMEOUT, NetworkGuard.of(true)), (request, context) -> { },
                Map.of(), 1 << 20, Clock.systemUTC());

        // When the connector calls it 40 times, from 4 threads at once
        callers = Executors.newFixedThreadPool(4);
        List<Future<AttemptOutcome>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String path = "/orders/" + i;
            calls.add(callers.submit(() -> get(path)));
        }

        // Then every call is answered, and no client started a pool thread to answer them
        for (Future<AttemptOutcome> call : calls) {
            assertThat(call.get()).isInstanceOf(AttemptOutcome.Success.class);
        }
        assertThat(clientPoolThreads()).isSubsetOf(poolThreadsBefore);
    }

    private AttemptOutcome get(String path) throws InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return transport.exchange(new HttpTransport.HttpCall("GET", uri, Optional.empty(), "request" + path),
                new AttemptContext(1, TIMEOUT, Instant.now().plus(TIMEOUT)),
                body -> new AttemptOutcome.Success(JsonNodeFactory.instance.textNode(new String(body, StandardCharsets.UTF_8))));
    }

    private static Set<String> clientPoolThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> CLIENT_POOL_THREAD.matcher(name).matches()).collect(Collectors.toSet());
    }
}
