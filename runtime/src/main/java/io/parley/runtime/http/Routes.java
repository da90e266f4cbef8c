package io.parley.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler of a {@link WebServer} that dispatches requests to routes by method and path template
 * ({@code /orders/{orderId}}) and writes their answers as JSON. Unknown paths get 404, known paths
 * with another method 405 (with {@code Allow}), a {@link HttpFailure} its status, and a route that
 * fails unexpectedly 500 (logged here, never shown to the caller); every error body is in the
 * server's {@link ErrorFormat}.
 */
public final class Routes extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    /** Request bodies larger than this are refused: the servers here take small JSON documents. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final List<Route> routes;
    private final ObjectMapper json;
    private final String contentType;
    private final ErrorFormat errors;

    private Routes(Builder builder) {
        this.routes = List.copyOf(builder.routes);
        this.json = builder.json;
        this.contentType = builder.contentType;
        this.errors = builder.errors;
    }

    public static Builder builder(ObjectMapper json, ErrorFormat errors) {
        return new Builder(json, errors);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        write(response, callback, dispatch(request));
        return true;
    }

    /** Finds the route of a request and runs it; the answer is not written yet. */
    public HttpReply dispatch(Request request) {
        String rawPath = request.getHttpURI().getPath();
        try {
            String method = request.getMethod().toUpperCase(Locale.ROOT);
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
                return route.handler().handle(HttpCall.read(request, variables.get()));
            }
            if (!allowed.isEmpty()) {
                return error(new HttpFailure(405, 405, "HTTP 405 Method Not Allowed"))
                        .withHeader("Allow", String.join(", ", allowed));
            }
            return error(new HttpFailure(404, 404, "HTTP 404 Not Found"));
        } catch (HttpFailure failure) {
            return error(failure);
        } catch (RuntimeException | IOException e) {
            LOG.warn("{} {} failed", request.getMethod(), rawPath, e);
            return error(new HttpFailure(500, 50001, "Internal error"));
        }
    }

    /** The answer to a failure, in this server's error format. */
    public HttpReply error(HttpFailure failure) {
        return new HttpReply(failure.status(), errors.body(failure.status(), failure.errorCode(), failure.getMessage()));
    }

    /** Writes an answer and completes the request's callback. */
    public void write(Response response, Callback callback, HttpReply reply) {
        byte[] bytes;
        String type;
        if (reply.contentType() != null) {
            bytes = reply.body() == null ? new byte[0] : ((String) reply.body()).getBytes(StandardCharsets.UTF_8);
            type = reply.contentType();
        } else {
            bytes = reply.body() == null ? new byte[0] : toJson(reply.body());
            type = contentType;
        }
        response.setStatus(reply.status());
        response.getHeaders().put("Content-Type", type);
        reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private byte[] toJson(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static byte[] readBody(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new HttpFailure(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    static Map<String, String> headers(Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), field.getValue());
        }
        return headers;
    }

    static Map<String, String> query(String rawQuery) {
        try {
            return QueryString.parse(rawQuery);
        } catch (IllegalArgumentException e) {
            throw new HttpFailure(400, 400, "Malformed percent-encoding in the query");
        }
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

        /** The Content-Type of every JSON answer (default {@code application/json}). */
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

        public Routes build() {
            return new Routes(this);
        }
    }
}
