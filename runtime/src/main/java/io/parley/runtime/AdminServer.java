package io.parley.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.runtime.access.AccessControl;
import io.parley.runtime.access.AccessSettings;
import io.parley.runtime.access.Caller;
import io.parley.runtime.access.Role;
import io.parley.runtime.access.Verdict;
import io.parley.runtime.http.HttpCall;
import io.parley.runtime.http.HttpReply;
import io.parley.runtime.http.WebServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP endpoint every Parley service runs: {@code /metrics} (Prometheus text format),
 * {@code /health/live}, {@code /health/ready}, and any routes the service adds, on runtime's
 * {@link WebServer}.
 *
 * <p>With {@link Builder#access(AccessControl)} routes carry the {@link Role} they need: a request
 * without a valid bearer credential is answered 401, one whose role is not enough 403 (JSON
 * {@code {"error":...,"status":...}}). {@code /metrics} and {@code /health/*} need the viewer role
 * unless {@code access.openMetrics} / {@code access.openHealth} keep them open (the default, for
 * Prometheus and the kubelet). A viewer route stays open while no credential is configured at all
 * (as before roles existed); an operator route is then refused.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String JSON = "application/json";

    private final WebServer server;

    private AdminServer(WebServer server) {
        this.server = server;
    }

    public static Builder builder(PrometheusMeterRegistry registry) {
        return new Builder(registry);
    }

    /** The port the endpoint listens on (useful when it was started on port 0). */
    public int port() {
        return server.port();
    }

    /** {@code http://host:port}, for messages and clients. */
    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Answers the requests under one path prefix; every answer is sent with {@code Cache-Control: no-store}. */
    @FunctionalInterface
    public interface Route {

        /**
         * @param call the request (its {@link HttpCall#path() path} still percent-encoded)
         * @param caller the verified caller of a protected route; empty on open routes
         * @return the answer: a {@link HttpReply#text text reply} with its content type
         */
        HttpReply handle(HttpCall call, Optional<Caller> caller);
    }

    /** A route's prefix, the role it needs (null: open) and what answers it. */
    private record Entry(String prefix, Role required, Route route) {
    }

    /** Settings of an admin endpoint. */
    public static final class Builder {

        private final PrometheusMeterRegistry registry;
        private String host = "127.0.0.1";
        private int port;
        private BooleanSupplier ready = () -> true;
        private final Map<String, Entry> routes = new LinkedHashMap<>();
        private AccessControl access = AccessControl.of(AccessSettings.NONE, java.time.Clock.systemUTC());

        private Builder(PrometheusMeterRegistry registry) {
            this.registry = registry;
        }

        /** The address to bind; 127.0.0.1 by default, 0.0.0.0 in containers. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port to bind; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** What {@code /health/ready} reports. */
        public Builder readiness(BooleanSupplier ready) {
            this.ready = ready;
            return this;
        }

        /** Who may call what (default: no credential configured, metrics and health open). */
        public Builder access(AccessControl access) {
            this.access = access;
            return this;
        }

        /** Adds an open route; it gets every request whose path starts with {@code pathPrefix} (the longest prefix wins). */
        public Builder route(String pathPrefix, Route route) {
            routes.put(pathPrefix, new Entry(pathPrefix, null, route));
            return this;
        }

        /** Adds a route for callers with at least {@code required}; the route gets the verified caller. */
        public Builder route(String pathPrefix, Role required, Route route) {
            routes.put(pathPrefix, new Entry(pathPrefix, required, route));
            return this;
        }

        public AdminServer start() {
            AccessControl guard = access;
            Map<String, Entry> all = new LinkedHashMap<>();
            Role metricsRole = guard.settings().openMetrics() ? null : Role.VIEWER;
            Role healthRole = guard.settings().openHealth() ? null : Role.VIEWER;
            all.put("/metrics", new Entry("/metrics", metricsRole, (call, caller) ->
                    HttpReply.text(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape())));
            all.put("/health/live", new Entry("/health/live", healthRole, (call, caller) ->
                    HttpReply.text(200, JSON, "{\"status\":\"UP\"}")));
            BooleanSupplier readiness = ready;
            all.put("/health/ready", new Entry("/health/ready", healthRole, (call, caller) -> readiness.getAsBoolean()
                    ? HttpReply.text(200, JSON, "{\"status\":\"UP\"}") : HttpReply.text(503, JSON, "{\"status\":\"DOWN\"}")));
            all.putAll(routes);
            WebServer server;
            try {
                // Encoded slashes: a conversation id's own '/' arrives as %2F inside its path segment.
                server = WebServer.builder("parley-admin-http").host(host).port(port).threads(2, 6).encodedSlashes(true)
                        .handler(new Dispatch(all, guard)).start();
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "; set another port in the configuration", e);
            }
            return new AdminServer(server);
        }
    }

    /** Finds the route of the longest matching prefix, checks its role and writes its answer. */
    private static final class Dispatch extends Handler.Abstract {

        private final Map<String, Entry> routes;
        private final AccessControl guard;

        Dispatch(Map<String, Entry> routes, AccessControl guard) {
            this.routes = Map.copyOf(routes);
            this.guard = guard;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getPath();
            Entry entry = null;
            for (Entry candidate : routes.values()) {
                if (path.startsWith(candidate.prefix()) && (entry == null || candidate.prefix().length() > entry.prefix().length())) {
                    entry = candidate;
                }
            }
            if (entry == null) {
                return false;
            }
            write(response, callback, answer(entry, request));
            return true;
        }

        private HttpReply answer(Entry entry, Request request) {
            try {
                Optional<Caller> caller = Optional.empty();
                Role required = entry.required();
                if (required != null && (guard.configured() || required == Role.OPERATOR)) {
                    Verdict verdict = guard.check(request.getHeaders().get("Authorization"), required);
                    if (verdict instanceof Verdict.Refused refused) {
                        HttpReply refusal = HttpReply.text(refused.status(), JSON, refused.json());
                        return refused.status() == 401
                                ? refusal.withHeader("WWW-Authenticate", "Bearer realm=\"parley-admin\"") : refusal;
                    }
                    caller = Optional.of(((Verdict.Allowed) verdict).caller());
                }
                return entry.route().handle(HttpCall.read(request, Map.of()), caller);
            } catch (RuntimeException | IOException e) {
                // The message may describe internals; the caller gets a generic answer.
                LOG.warn("Admin endpoint failed on {} {}", request.getMethod(), request.getHttpURI().getPath(), e);
                return HttpReply.text(500, JSON, "{\"error\":\"internal error\"}");
            }
        }

        private static void write(Response response, Callback callback, HttpReply reply) {
            String body = reply.body() == null ? "" : reply.body().toString();
            response.setStatus(reply.status());
            response.getHeaders().put("Content-Type", reply.contentType() == null ? JSON : reply.contentType());
            response.getHeaders().put("Cache-Control", "no-store");
            reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        }
    }
}
