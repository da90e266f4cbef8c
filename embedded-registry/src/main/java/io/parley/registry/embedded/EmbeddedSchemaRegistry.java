package io.parley.registry.embedded;

import io.parley.runtime.http.WebServer;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Parley's schema registry: an {@link InMemorySchemaRegistry} served over the Schema Registry
 * REST API (see {@link RegistryApi}) by runtime's HTTP server stack ({@link WebServer}), so that any registry-aware client
 * — Parley's serde, Confluent's serializers and {@code SchemaRegistryClient}s in Java, Python,
 * Go... — can use it with {@code schema.registry.url=}{@link #url()}. Local mode runs one; tests
 * and benchmarks run one so that processors and workers in other JVMs share schema ids with the
 * JVM that started it, which can use the same registry as {@code mock://<scope>}.
 *
 * <p>With a {@link SchemaJournal} its changes survive restarts (replayed at start, appended as
 * they happen); without one nothing is kept when it stops.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** Request threads besides the acceptor and selector: several JVMs register their schemas at start at once. */
    private static final int HANDLER_THREADS = 4;

    private final WebServer server;
    private final InMemorySchemaRegistry registry;

    private EmbeddedSchemaRegistry(WebServer server, InMemorySchemaRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /** Serves a new, empty registry of its own scope on a free loopback port. */
    public static EmbeddedSchemaRegistry start() {
        return start(InMemorySchemaRegistry.forScope("embedded-" + UUID.randomUUID()));
    }

    /** Serves {@code registry} on a free loopback port. */
    public static EmbeddedSchemaRegistry start(InMemorySchemaRegistry registry) {
        return builder(registry).start();
    }

    /** Settings for serving {@code registry}: address, port, journal. */
    public static Builder builder(InMemorySchemaRegistry registry) {
        return new Builder(registry);
    }

    /** {@code http://<host>:<port>}, for {@code schema.registry.url}. */
    public String url() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    /** The registry served. */
    public InMemorySchemaRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.close();
    }

    /** Settings of a registry server. */
    public static final class Builder {

        private final InMemorySchemaRegistry registry;
        private String host = InetAddress.getLoopbackAddress().getHostAddress();
        private int port;
        private Optional<SchemaJournal> journal = Optional.empty();

        private Builder(InMemorySchemaRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The address to listen on (default the loopback address). */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Keep changes in this journal, replaying it into the (empty) registry at start. */
        public Builder journal(SchemaJournal value) {
            this.journal = Optional.of(value);
            return this;
        }

        /**
         * Replays the journal, if any, and starts serving.
         *
         * @throws IllegalStateException when the address cannot be bound, naming it
         */
        public EmbeddedSchemaRegistry start() {
            journal.ifPresent(j -> j.replayInto(registry));
            RegistryApi api = new RegistryApi(registry, journal);
            WebServer server = WebServer.builder("schema-registry").host(host).port(port)
                    .threads(2, HANDLER_THREADS + 2).encodedSlashes(true).handler(api).start();
            return new EmbeddedSchemaRegistry(server, registry);
        }
    }
}
