package io.parley.gateway.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.runtime.http.WebServer;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The gateway's admin port, apart from the public chat port so that a load balancer in front of
 * the chat never exposes it: {@code /metrics} (Prometheus text), {@code /health/live} and
 * {@code /health/ready}, the same paths as the processor's and the worker's. On Jetty, like the
 * rest of the gateway.
 */
public final class AdminEndpoint implements AutoCloseable {

    private final WebServer server;

    /**
     * @param ready what {@code /health/ready} reports: the gateway reads its reply topic and serves chats
     */
    public AdminEndpoint(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        this.server = WebServer.builder("gateway-admin").host(host).port(port).threads(2, 8).handler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                return switch (Request.getPathInContext(request)) {
                    case "/metrics" -> write(response, callback, HttpStatus.OK_200, "text/plain; version=0.0.4; charset=utf-8",
                            registry.scrape());
                    case "/health/live" -> write(response, callback, HttpStatus.OK_200, "application/json", "{\"status\":\"UP\"}");
                    case "/health/ready" -> ready.getAsBoolean()
                            ? write(response, callback, HttpStatus.OK_200, "application/json", "{\"status\":\"UP\"}")
                            : write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "application/json", "{\"status\":\"DOWN\"}");
                    default -> false;
                };
            }
        }).build();
    }

    public void start() {
        try {
            server.start();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; set another admin.port", e);
        }
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    private static boolean write(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        Content.Sink.write(response, true, body, callback);
        return true;
    }
}
