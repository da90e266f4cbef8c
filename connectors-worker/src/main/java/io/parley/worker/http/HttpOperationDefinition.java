package io.parley.worker.http;

import io.parley.worker.connector.OperationDefinition;
import io.parley.runtime.config.ConfigSection;

import io.parley.worker.connector.JsonTemplate;
import io.parley.worker.connector.ResponseMapping;
import io.parley.worker.connector.TextTemplate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One operation of an HTTP connector, as read from its file.
 *
 * @param name the name requests use ({@code BackendRequest.operation})
 * @param method GET, POST, PUT, PATCH, DELETE or HEAD
 * @param url the base URL, path template and query templates
 * @param body the JSON body template, if the operation sends one
 * @param response how the answer is mapped
 * @param cacheTtl how long OK answers are cached (GET operations only)
 */
public record HttpOperationDefinition(String name, String method, UrlTemplate url, Optional<JsonTemplate> body,
                                      ResponseMapping response, Optional<Duration> cacheTtl) implements OperationDefinition {

    public static final String METHOD = "method";
    public static final String PATH = "path";
    public static final String QUERY = "query";
    public static final String BODY = "body";
    public static final String RESPONSE = "response";
    public static final String CACHE_TTL = OperationDefinition.CACHE_TTL;

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

    public static HttpOperationDefinition from(String name, ConfigSection operation, BaseUrl base) {
        operation.allowOnly(METHOD, PATH, QUERY, BODY, RESPONSE, CACHE_TTL);
        String method = operation.string(METHOD).orElse("GET").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw operation.error(METHOD, "'" + method + "' is not one of " + METHODS);
        }
        Map<String, TextTemplate> query = new LinkedHashMap<>();
        operation.stringMap(QUERY).forEach((parameter, value) -> {
            try {
                query.put(parameter, TextTemplate.parse(value));
            } catch (IllegalArgumentException e) {
                throw operation.error(QUERY + "." + parameter, e.getMessage());
            }
        });
        UrlTemplate url;
        try {
            url = UrlTemplate.of(base, operation.requiredString(PATH), query);
        } catch (IllegalArgumentException e) {
            throw operation.error(PATH, e.getMessage());
        }
        Optional<JsonTemplate> body = Optional.empty();
        if (operation.has(BODY)) {
            if (method.equals("GET") || method.equals("HEAD")) {
                throw operation.error(BODY, method + " requests carry no body");
            }
            try {
                body = Optional.of(JsonTemplate.of(operation.raw(BODY)));
            } catch (IllegalArgumentException e) {
                throw operation.error(BODY, e.getMessage());
            }
        }
        Optional<Duration> cacheTtl = OperationDefinition.cacheTtl(operation, method.equals("GET"), "only read-only (GET) operations may be cached");
        return new HttpOperationDefinition(name, method, url, body, ResponseMapping.from(operation.object(RESPONSE)), cacheTtl);
    }
}
