package io.parley.runtime.http;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * One request as a route sees it: its raw (still percent-encoded) path, the path variables of its
 * pattern (already percent-decoded), the query parameters, the headers (names in lower case, first
 * value) and the body (at most {@link Routes#MAX_BODY_BYTES}, else 413).
 */
public record HttpCall(String method, String path, Map<String, String> pathVariables, Map<String, String> query,
                       Map<String, String> headers, byte[] body) {

    /** Reads a Jetty request (its body too) with these path variables. */
    public static HttpCall read(Request request, Map<String, String> pathVariables) throws IOException {
        return new HttpCall(request.getMethod().toUpperCase(java.util.Locale.ROOT), request.getHttpURI().getPath(),
                pathVariables, Routes.query(request.getHttpURI().getQuery()), Routes.headers(request), Routes.readBody(request));
    }

    public HttpCall {
        pathVariables = Map.copyOf(pathVariables);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** A variable of the route's pattern, such as {@code orderId} in {@code /orders/{orderId}}. */
    public String pathVariable(String name) {
        String value = pathVariables.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no path variable '" + name + "'");
        }
        return value;
    }

    /** A query parameter, when it was given and is not blank. */
    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name)).filter(value -> !value.isBlank());
    }

    /** A request header by its name in lower case, when it was given. */
    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }
}
