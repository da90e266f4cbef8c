package io.parley.worker;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The part of the Schema Registry REST API the serde uses, served over real HTTP from an in-memory
 * registry, so that a worker in another JVM and the test share schema ids.
 */
final class RegistryApiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");

    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope("registry-api-" + UUID.randomUUID());
    private final HttpServer server;

    RegistryApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Matcher register = REGISTER.matcher(path);
            Matcher lookup = LOOKUP.matcher(path);
            Matcher byId = BY_ID.matcher(path);
            ObjectNode answer = JSON.createObjectNode();
            if (exchange.getRequestMethod().equals("POST") && register.matches()) {
                answer.put("id", registry.register(subject(register), schemaOf(exchange)));
            } else if (exchange.getRequestMethod().equals("POST") && lookup.matches()) {
                Optional<RegisteredSchema> found = registry.findUnder(subject(lookup), schemaOf(exchange));
                if (found.isEmpty()) {
                    send(exchange, 404, "{\"error_code\": 40403, \"message\": \"Schema not found\"}");
                    return;
                }
                answer.put("subject", found.get().subject()).put("version", found.get().version()).put("id", found.get().id())
                        .put("schema", found.get().schema().toString());
            } else if (exchange.getRequestMethod().equals("GET") && byId.matches()) {
                try {
                    answer.put("schema", registry.byId(Integer.parseInt(byId.group(1))).toString());
                } catch (SchemaRegistryException e) {
                    send(exchange, 404, "{\"error_code\": 40403, \"message\": \"Schema not found\"}");
                    return;
                }
            } else {
                send(exchange, 404, "{\"error_code\": 404, \"message\": \"not served by this test registry\"}");
                return;
            }
            send(exchange, 200, answer.toString());
        }
    }

    private static String subject(Matcher matcher) {
        return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
    }

    private static Schema schemaOf(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        return new Schema.Parser().parse(body.path("schema").asText());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
