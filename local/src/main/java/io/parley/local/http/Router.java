package io.parley.local.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches requests of a JDK {@code HttpServer} to routes by method and path template, and
 * writes their answers as JSON. Unknown paths get 404, known paths with another method 405,
 * and a route that fails unexpectedly 500 (logged here, never shown to the caller).
 */
public final class Router implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** Request bodies larger than this are refused: the servers here take small JSON documents. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final List<Route> routes;
    private final ObjectMapper json;
    private final String contentType;
    private final ErrorFormat errors;

    private Router(Builder builder) {
        this.routes = List.copyOf(builder.routes);
        this.json = builder.json;
        this.contentType = builder.contentType;
        this.errors = builder.errors;
    }

    public static Builder builder(ObjectMapper json, ErrorFormat errors) {
        return new Builder(json, errors);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        write(exchange, dispatch(exchange));
    }

    /** Finds the route of a request and runs it; the answer is not written yet. */
    public HttpReply dispatch(HttpExchange exchange) {
        try {
            String rawPath = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            Set<String> allowed = new LinkedHashSet<>();
            for (Route route : routes) {
                Optional<Map<String, String>> variables = route.pattern().match(rawPath);
                if (variables.isEmpty()) {
                    continue;
                }
                if (!route.method().equals(method)) {
                    allowed.add(route.method());
                    continue;
                }
                HttpCall call = new HttpCall(method, variables.get(), query(exchange.getRequestURI().getRawQuery()),
                        headers(exchange), readBody(exchange));
                return route.handler().handle(call);
            }
            if (!allowed.isEmpty()) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
                return error(new HttpFailure(405, 405, "HTTP 405 Method Not Allowed"));
            }
            return error(new HttpFailure(404, 404, "HTTP 404 Not Found"));
        } catch (HttpFailure failure) {
            return error(failure);
        } catch (RuntimeException | IOException e) {
            LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            return error(new HttpFailure(500, 50001, "Internal error"));
        }
    }

    /** Writes an answer and closes the exchange. */
    public void write(HttpExchange exchange, HttpReply reply) throws IOException {
        byte[] bytes = reply.body() == null ? new byte[0] : toJson(reply.body());
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpReply error(HttpFailure failure) {
        return new HttpReply(failure.status(), errors.body(failure.status(), failure.errorCode(), failure.getMessage()));
    }

    private byte[] toJson(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new HttpFailure(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return headers;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                parameters.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new HttpFailure(400, 400, "Malformed percent-encoding in the query");
            }
        }
        return parameters;
    }

    private record Route(String method, PathPattern pattern, RouteHandler handler) {
    }

    /** The routes and conventions of one server. */
    public static final class Builder {

        private final ObjectMapper json;
        private final ErrorFormat errors;
        private final List<Route> routes = new ArrayList<>();
        private String contentType = "application/json";

        private Builder(ObjectMapper json, ErrorFormat errors) {
            this.json = Objects.requireNonNull(json, "json");
            this.errors = Objects.requireNonNull(errors, "errors");
        }

        /** The Content-Type of every answer (default {@code application/json}). */
        public Builder contentType(String value) {
            this.contentType = value;
            return this;
        }

        public Builder get(String pathTemplate, RouteHandler handler) {
            return route("GET", pathTemplate, handler);
        }

        public Builder post(String pathTemplate, RouteHandler handler) {
            return route("POST", pathTemplate, handler);
        }

        /** Adds a route; the first route whose method and template match a request answers it. */
        public Builder route(String method, String pathTemplate, RouteHandler handler) {
            routes.add(new Route(method.toUpperCase(Locale.ROOT), new PathPattern(pathTemplate), handler));
            return this;
        }

        public Router build() {
            return new Router(this);
        }
    }
}
