package io.parley.local.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.local.http.LocalHttpServer;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.util.Objects;
import java.util.Optional;

/**
 * Local mode's schema registry, served on 127.0.0.1 over the Schema Registry REST API so that
 * any registry-aware serializer (Java, Python, JavaScript...) can produce to local mode as it
 * would to production: {@code schema.registry.url=}{@link #url()}.
 *
 * <p>Serves an {@link InMemorySchemaRegistry}; with a {@link SchemaJournal} its registrations
 * survive restarts (replayed at start, appended as they happen).
 */
public final class RegistryServer implements AutoCloseable {

    private final LocalHttpServer server;
    private final InMemorySchemaRegistry registry;

    private RegistryServer(LocalHttpServer server, InMemorySchemaRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    public static Builder builder(InMemorySchemaRegistry registry) {
        return new Builder(registry);
    }

    /** The base URL for {@code schema.registry.url}. */
    public String url() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    /** The registry this server serves. */
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
        private String host = "127.0.0.1";
        private int port;
        private Optional<SchemaJournal> journal = Optional.empty();

        private Builder(InMemorySchemaRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The address to listen on (default 127.0.0.1). */
        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Keep registrations in this journal, replaying it into the (empty) registry at start. */
        public Builder journal(SchemaJournal value) {
            this.journal = Optional.of(value);
            return this;
        }

        public RegistryServer start() {
            journal.ifPresent(j -> j.replayInto(registry));
            RegistryApi api = new RegistryApi(registry, journal, new ObjectMapper());
            return new RegistryServer(LocalHttpServer.start("schema-registry", host, port, 4, api.router()), registry);
        }
    }
}
