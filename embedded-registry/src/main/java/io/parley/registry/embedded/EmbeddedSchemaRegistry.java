package io.parley.registry.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.serde.registry.RegisteredSchema;
import io.parley.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * An {@link InMemorySchemaRegistry} served over HTTP on the loopback interface, for processors and
 * workers in other JVMs than the test or benchmark that starts them ({@code mock://} registries
 * exist per JVM). It answers the four calls Parley's serde makes — register, look up under a
 * subject, latest version, fetch by id — in the Schema Registry's REST format, from the same
 * registry the starting JVM can use as {@code mock://<scope>}, so every JVM sees the same schema
 * ids. A test and benchmark tool, not a registry to run: nothing is kept when it stops.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LOOK_UP = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
    private static final int HANDLER_THREADS = 4;
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d{1,9})");

    private final HttpServer server;
    private final ExecutorService executor;
    private final InMemorySchemaRegistry registry;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, InMemorySchemaRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
    }

    /** Serves a new, empty registry of its own scope on a free loopback port. */
    public static EmbeddedSchemaRegistry start() {
        return start(InMemorySchemaRegistry.forScope("embedded-" + UUID.randomUUID()));
    }

    /** Serves {@code registry} on a free loopback port. */
    public static EmbeddedSchemaRegistry start(InMemorySchemaRegistry registry) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            AtomicInteger threads = new AtomicInteger();
            // Several JVMs register their schemas at start at the same time.
            ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, runnable -> {
                Thread thread = new Thread(runnable, "embedded-schema-registry-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            EmbeddedSchemaRegistry registryServer = new EmbeddedSchemaRegistry(server, executor, registry);
            server.createContext("/", registryServer::handle);
            server.setExecutor(executor);
            server.start();
            return registryServer;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded schema registry on the loopback interface", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, for {@code schema.registry.url}. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            boolean post = "POST".equals(exchange.getRequestMethod());
            Matcher matcher;
            try {
                if (post && (matcher = REGISTER.matcher(path)).matches()) {
                    int id = registry.register(subject(matcher), schemaOf(exchange));
                    respond(exchange, 200, JSON.createObjectNode().put("id", id));
                } else if (post && (matcher = LOOK_UP.matcher(path)).matches()) {
                    String subject = subject(matcher);
                    RegisteredSchema found = registry.findUnder(subject, schemaOf(exchange))
                            .orElseThrow(() -> new SchemaRegistryException("Schema not found under subject \"" + subject + "\"",
                                    404, SchemaRegistryException.SCHEMA_NOT_FOUND));
                    respond(exchange, 200, describe(found));
                } else if (!post && (matcher = LATEST.matcher(path)).matches()) {
                    respond(exchange, 200, describe(registry.latest(subject(matcher))));
                } else if (!post && (matcher = BY_ID.matcher(path)).matches()) {
                    Schema schema = registry.byId(Integer.parseInt(matcher.group(1)));
                    respond(exchange, 200, JSON.createObjectNode().put("schema", schema.toString()));
                } else {
                    respond(exchange, 404, error(404, "No such resource: " + exchange.getRequestMethod() + " " + path));
                }
            } catch (SchemaRegistryException e) {
                respond(exchange, e.httpStatus(), error(e.errorCode(), e.getMessage()));
            } catch (SchemaParseException | IllegalArgumentException e) {
                respond(exchange, 422, error(SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage()));
            }
        }
    }

    private static String subject(Matcher matcher) {
        return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
    }

    private static Schema schemaOf(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        }
        JsonNode schema = body == null ? null : body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new IllegalArgumentException("the request body has no \"schema\" text");
        }
        return new Schema.Parser().parse(schema.asText());
    }

    private static ObjectNode describe(RegisteredSchema schema) {
        return JSON.createObjectNode()
                .put("subject", schema.subject())
                .put("version", schema.version())
                .put("id", schema.id())
                .put("schema", schema.schema().toString());
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    /** The registry served. */
    public InMemorySchemaRegistry registry() {
        return registry;
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
