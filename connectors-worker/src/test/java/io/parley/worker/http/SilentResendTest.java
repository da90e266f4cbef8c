package io.parley.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.Connectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK client resends a GET by itself when a kept-alive connection closes before the answer
 * (it takes the connection for expired). Such a resend is a second call the backend sees: the
 * worker's attempt count must match what the backend saw. A real HTTP/1.1 server on a socket that
 * answers the first request of a connection and closes the connection on the second.
 */
class SilentResendTest {

    private final AtomicInteger requests = new AtomicInteger();
    private ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    /** Request 2 (over the connection kept alive by request 1) is read and left unanswered: the connection closes. */
    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (readRequestHead(in)) {
                if (requests.incrementAndGet() == 2) {
                    return;
                }
                byte[] body = "{\"points\": 10}".getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // The client went away: nothing more to serve on this connection.
        }
    }

    private static boolean readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        int read;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while ((read = in.read()) != -1) {
            matched = read == end[matched] ? matched + 1 : (read == '\r' ? 1 : 0);
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aGetTheBackendSawTwiceIsCountedAsTwoAttempts() {
        // Given a connector allowed to retry, calling a backend that drops a kept-alive connection once
        try (Connectors connectors = Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: loyalty-api
                    type: http
                    baseUrl: http://127.0.0.1:%d
                    allowPrivateNetworks: true
                    retry: {maxAttempts: 3, initialBackoff: 10ms}
                    operations:
                      getPoints: {path: "/points/{userId}"}
                """.formatted(server.getLocalPort())).build()) {

            // When two calls are made, the second over the kept-alive connection the backend then closes
            BackendResponse first = connectors.call(request("r-1"));
            BackendResponse second = connectors.call(request("r-2"));

            // Then both are answered, and the attempts counted are the requests the backend saw
            assertThat(first.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(second.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(first.getAttempts() + second.getAttempts()).isEqualTo(requests.get());
            assertThat(second.getAttempts()).isEqualTo(2);
        }
    }

    private static BackendRequest request(String id) {
        return BackendRequest.newBuilder()
                .setRequestId(id)
                .setConversationId("conv-1")
                .setUserId("alice")
                .setEventId("evt-" + id)
                .setConnector("loyalty-api")
                .setOperation("getPoints")
                .setParams(Map.of("userId", "alice"))
                .setDeadline(Instant.now().plus(Duration.ofSeconds(10)))
                .setAttempt(1)
                .setCreatedAt(Instant.now())
                .build();
    }
}
