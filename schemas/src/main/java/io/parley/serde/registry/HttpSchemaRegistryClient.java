package io.parley.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of the Schema Registry REST API (Confluent Schema Registry, Karapace, Apicurio's
 * ccompat API, Redpanda). Answers are cached: a schema is registered or looked up once per
 * subject, and a schema is fetched once per id. Registry URLs are tried in order when one
 * cannot be reached.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RegistryUrl> urls;
    private final Optional<String> authorization;
    private final Duration readTimeout;
    private final HttpClient http;

    private final Map<String, Map<String, Integer>> idsBySchemaBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /**
     * @param urls registry base URLs; user info in a URL is used for basic auth only when
     *     {@code authorization} is empty and is never shown in messages
     * @param authorization an {@code Authorization} header value, if one is configured
     */
    public HttpSchemaRegistryClient(List<String> urls, Optional<String> authorization,
                                    Duration connectTimeout, Duration readTimeout) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one registry URL is needed");
        }
        this.urls = urls.stream().map(RegistryUrl::parse).toList();
        this.authorization = authorization.or(() -> this.urls.get(0).basicAuthorization());
        this.readTimeout = readTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The value of a basic {@code Authorization} header for {@code user:password}. */
    public static String basicAuthorization(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySchemaBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema.toString(), text -> {
                    JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(text),
                            "register a schema under subject \"" + subject + "\"");
                    int id = requiredInt(answer, "id");
                    schemasById.putIfAbsent(id, schema);
                    return id;
                });
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return idsBySchemaBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema.toString(), text -> {
                    JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(text),
                            "look up a schema under subject \"" + subject + "\"");
                    int id = requiredInt(answer, "id");
                    schemasById.putIfAbsent(id, schema);
                    return id;
                });
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null,
                "fetch the latest schema of subject \"" + subject + "\"");
        int id = requiredInt(answer, "id");
        Schema schema = schemasById.computeIfAbsent(id, i -> parse(requiredText(answer, "schema"), "schema " + i));
        return new RegisteredSchema(subject, requiredInt(answer, "version"), id, schema);
    }

    @Override
    public Schema byId(int id) {
        return schemasById.computeIfAbsent(id, i -> {
            JsonNode answer = call("GET", "/schemas/ids/" + i, null, "fetch schema " + i);
            return parse(requiredText(answer, "schema"), "schema " + i);
        });
    }

    /**
     * Asks the registry whether the schema may follow the latest version of the subject at the
     * subject's compatibility level ({@code POST /compatibility/subjects/{s}/versions/latest}).
     * Not cached: the answer changes as versions and levels do.
     */
    public boolean isCompatible(String subject, Schema schema) {
        JsonNode answer = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                schemaBody(schema.toString()), "check a schema's compatibility under subject \"" + subject + "\"");
        JsonNode compatible = answer.get("is_compatible");
        if (compatible == null || !compatible.isBoolean()) {
            throw new SchemaRegistryException("Schema Registry answer lacks the boolean field \"is_compatible\"", 200, 0);
        }
        return compatible.asBoolean();
    }

    private static String schemaBody(String schemaText) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schemaText);
        return body.toString();
    }

    private JsonNode call(String method, String path, String body, String purpose) {
        List<String> unreachable = new ArrayList<>();
        IOException lastFailure = null;
        for (RegistryUrl url : urls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.base() + path))
                    .timeout(readTimeout)
                    .header("Accept", ACCEPT);
            authorization.ifPresent(value -> request.header("Authorization", value));
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", CONTENT_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                unreachable.add(url.base());
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while trying to " + purpose + " at " + url.base(), e);
            }
            return answer(url, response, purpose);
        }
        throw new SchemaRegistryException("Schema Registry unreachable at " + String.join(", ", unreachable)
                + " while trying to " + purpose + ": " + describe(lastFailure), lastFailure);
    }

    private static JsonNode answer(RegistryUrl url, HttpResponse<String> response, String purpose) {
        int status = response.statusCode();
        JsonNode json = readJson(response.body());
        if (status / 100 == 2) {
            if (json == null) {
                throw new SchemaRegistryException("Schema Registry at " + url.base() + " gave an answer that is not JSON when asked to "
                        + purpose, status, 0);
            }
            return json;
        }
        int errorCode = json != null && json.path("error_code").canConvertToInt() ? json.path("error_code").asInt() : status;
        String message = json != null && json.hasNonNull("message") ? json.get("message").asText() : "no details given";
        throw new SchemaRegistryException("Schema Registry at " + url.base() + " refused to " + purpose
                + ": HTTP " + status + ", error " + errorCode + ": " + message, status, errorCode);
    }

    private static JsonNode readJson(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException("Schema Registry answer lacks the integer field \"" + field + "\"", 200, 0);
        }
        return value.asInt();
    }

    private static String requiredText(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isTextual()) {
            throw new SchemaRegistryException("Schema Registry answer lacks the text field \"" + field + "\"", 200, 0);
        }
        return value.asText();
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("Schema Registry returned an unreadable Avro schema for " + what + ": "
                    + e.getMessage(), e);
        }
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(IOException failure) {
        if (failure == null) {
            return "no answer";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    /** A registry base URL with any user info taken out, so it can be shown and logged. */
    private record RegistryUrl(String base, Optional<String> userInfo) {

        static RegistryUrl parse(String url) {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not a registry URL (expected http(s)://host:port): "
                        + withoutUserInfo(url));
            }
            String base = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", ""));
            return new RegistryUrl(base, Optional.ofNullable(uri.getRawUserInfo())
                    .map(info -> java.net.URLDecoder.decode(info, StandardCharsets.UTF_8)));
        }

        Optional<String> basicAuthorization() {
            return userInfo.map(HttpSchemaRegistryClient::basicAuthorization);
        }

        private static String withoutUserInfo(String url) {
            return url.replaceAll("//[^/@]*@", "//");
        }
    }
}
