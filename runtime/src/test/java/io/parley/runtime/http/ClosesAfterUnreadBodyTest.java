package io.parley.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answers given before a body arrived say {@code Connection: close} on the wire, so no client
 * sends its next request on a connection the server is dropping; a body read keeps the connection.
 */
class ClosesAfterUnreadBodyTest {

    private static WebServer routes;

    @BeforeAll
    static void start() {
        routes = WebServer.builder("unread-body-test").port(0).handler(Routes.builder(new ObjectMapper(),
                        (status, code, message) -> Map.of("error", message))
                .get("/orders", call -> HttpReply.ok(Map.of("orders", 0)))
                .post("/echo", call -> HttpReply.ok(Map.of("length", call.body().length)))
                .build()).start();
    }

    @AfterAll
    static void stop() {
        routes.close();
    }

    @Test
    void aRefusalBeforeTheBodyArrivedSaysTheConnectionCloses() throws Exception {
        // Given a client that sent a POST's headers and not yet its body
        try (Socket socket = new Socket("localhost", routes.port())) {
            socket.setSoTimeout(10_000);
            send(socket, "POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 20\r\n\r\n");
            // When the server refuses the method without reading the body
            String answer = readAnswer(socket.getInputStream());
            // Then the answer tells the client not to reuse the connection
            assertThat(answer).startsWith("HTTP/1.1 405").containsIgnoringCase("\r\nConnection: close\r\n");
        }
    }

    @Test
    void aBodyReadToItsEndKeepsTheConnectionForTheNextRequest() throws Exception {
        try (Socket socket = new Socket("localhost", routes.port())) {
            socket.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                send(socket, "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
                String answer = readAnswer(socket.getInputStream());
                assertThat(answer).as("answer %d on one connection", i).startsWith("HTTP/1.1 200")
                        .doesNotContainIgnoringCase("Connection: close").endsWith("{\"length\":7}");
            }
            // A request without a body is not wrapped and keeps it as well
            send(socket, "GET /orders HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 200").endsWith("{\"orders\":0}");
        }
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One answer: its head, then as many body bytes as its Content-Length says. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
