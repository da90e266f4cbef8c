package io.parley.runtime.http;

import java.util.Map;
import java.util.Optional;

/**
 * One request as a route sees it: the path variables of its pattern (already percent-decoded),
 * the query parameters, the headers that matter and the body.
 */
public record HttpCall(String method, Map<String, String> pathVariables, Map<String, String> query,
                       Map<String, String> headers, byte[] body) {

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
