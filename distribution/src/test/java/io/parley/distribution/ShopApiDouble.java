package io.parley.distribution;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The demo shop's HTTP API as far as the example connector's getOrder goes: order 1001 exists;
 * order 2002 takes {@link #SLOW_ORDER_DELAY} (past the flows' deadline); order 5005 fails with 500;
 * anything else is not found.
 */
final class ShopApiDouble implements AutoCloseable {

    static final java.time.Duration SLOW_ORDER_DELAY = java.time.Duration.ofSeconds(10);

    private final HttpServer server;

    private ShopApiDouble(HttpServer server) {
        this.server = server;
    }

    static ShopApiDouble start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/orders/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String order = path.substring(path.lastIndexOf('/') + 1);
            if (order.equals("2002")) {
                try {
                    Thread.sleep(SLOW_ORDER_DELAY.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = switch (order) {
                case "1001", "2002" -> 200;
                case "5005" -> 500;
                default -> 404;
            };
            byte[] body = (status == 200
                    ? "{\"orderId\":\"" + order + "\",\"status\":\"SHIPPED\",\"total\":\"42.50\",\"currency\":\"EUR\",\"placedAt\":\"2026-11-30\"}"
                    : "{\"error\":\"no\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
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
