package io.parley.e2e.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.serde.registry.RegisteredSchema;
import io.parley.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The part of the Schema Registry REST API that Parley's serde speaks (register, look up under a
 * subject, latest version, fetch by id), served over HTTP from an {@link InMemorySchemaRegistry}.
 *
 * <p>Processors and workers in child JVMs cannot share a {@code mock://} registry with the test, so
 * every component of the end-to-end tests, in this JVM or another, uses this one. It lives here
 * rather than being shared with another module: local mode's registry server is not something the
 * tests may depend on, and a test server does not belong in the production serde jar.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSIONS = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
    private static final Pattern SUBJECT = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final String NOT_FOUND = "{\"error_code\": 40403, \"message\": \"Schema not found\"}";

    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope("e2e-" + UUID.randomUUID());
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpServer server;

    private SchemaRegistryServer(HttpServer server) {
        this.server = server;
    }

    /** Starts serving on a free port of 127.0.0.1. */
    public static SchemaRegistryServer start() {
        try {
            SchemaRegistryServer registry = new SchemaRegistryServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
            registry.server.createContext("/", registry::handle);
            registry.server.setExecutor(registry.threads);
            registry.server.start();
            return registry;
        } catch (IOException e) {
            throw new IllegalStateException("The test schema registry could not start: " + e.getMessage(), e);
        }
    }

    /** The value of {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            boolean post = exchange.getRequestMethod().equals("POST");
            Matcher versions = VERSIONS.matcher(path);
            Matcher latest = LATEST.matcher(path);
            Matcher subject = SUBJECT.matcher(path);
            Matcher byId = BY_ID.matcher(path);
            try {
                if (post && versions.matches()) {
                    send(exchange, 200, JSON.createObjectNode().put("id", registry.register(subject(versions), schemaOf(exchange))));
                } else if (post && subject.matches()) {
                    Optional<RegisteredSchema> found = registry.findUnder(subject(subject), schemaOf(exchange));
                    if (found.isPresent()) {
                        send(exchange, 200, describe(found.get()));
                    } else {
                        send(exchange, 404, NOT_FOUND);
                    }
                } else if (!post && latest.matches()) {
                    send(exchange, 200, describe(registry.latest(subject(latest))));
                } else if (!post && byId.matches()) {
                    send(exchange, 200, JSON.createObjectNode()
                            .put("schema", registry.byId(Integer.parseInt(byId.group(1))).toString()));
                } else {
                    send(exchange, 404, "{\"error_code\": 404, \"message\": \"not served by the test registry\"}");
                }
            } catch (SchemaRegistryException e) {
                send(exchange, e.httpStatus(), JSON.createObjectNode().put("error_code", e.errorCode()).put("message", e.getMessage()));
            }
        }
    }

    private static ObjectNode describe(RegisteredSchema schema) {
        return JSON.createObjectNode()
                .put("subject", schema.subject())
                .put("version", schema.version())
                .put("id", schema.id())
                .put("schema", schema.schema().toString());
    }

    private static String subject(Matcher matcher) {
        return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
    }

    private static Schema schemaOf(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        return new Schema.Parser().parse(body.path("schema").asText());
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
