package io.parley.gateway.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The gateway's admin port, apart from the public chat port so that a load balancer in front of
 * the chat never exposes it: {@code /metrics} (Prometheus text), {@code /health/live} and
 * {@code /health/ready}, the same paths as the processor's and the worker's. On Jetty, like the
 * rest of the gateway.
 */
public final class AdminEndpoint implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param ready what {@code /health/ready} reports: the gateway reads its reply topic and serves chats
     */
    public AdminEndpoint(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("gateway-admin");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
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
        });
    }

    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("gateway admin endpoint did not start on " + connector.getHost() + ":"
                    + connector.getPort() + " (" + e.getMessage() + "); set another admin.port", e);
        }
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static boolean write(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        Content.Sink.write(response, true, body, callback);
        return true;
    }
}
