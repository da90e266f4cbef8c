package io.parley.distribution;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The demo shop's HTTP API as far as the example connector's getOrder goes: order 1001 exists, nothing else. */
final class ShopApiDouble implements AutoCloseable {

    private final HttpServer server;

    private ShopApiDouble(HttpServer server) {
        this.server = server;
    }

    static ShopApiDouble start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/orders/", exchange -> {
            boolean known = exchange.getRequestURI().getPath().equals("/orders/1001");
            byte[] body = (known
                    ? "{\"orderId\":\"1001\",\"status\":\"SHIPPED\",\"total\":\"42.50\",\"currency\":\"EUR\",\"placedAt\":\"2026-11-30\"}"
                    : "{\"error\":\"no such order\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new ShopApiDouble(server);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
