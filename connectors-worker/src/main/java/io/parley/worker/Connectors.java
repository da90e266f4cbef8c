package io.parley.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.runtime.ConfigVariables;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.config.ConfigNode;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.Connector;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorMetrics;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ParsedConnector;
import io.parley.worker.connector.Responses;
import io.parley.worker.connector.Timing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors of one or more connector files, answering {@link BackendRequest}s by the
 * connector they name. Usable without Kafka:
 *
 * <pre>{@code
 * try (Connectors connectors = Connectors.load(Path.of("connectors.yaml"))) {
 *     BackendResponse response = connectors.call(request);
 * }
 * }</pre>
 *
 * A request naming an unknown connector or operation is answered {@code REJECTED}. Thread-safe.
 */
public final class Connectors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Connectors.class);

    private final Map<String, Connector> connectors;
    private final List<ResponseSizeSetting> ownResponseSizes;
    private final Timing timing;
    private final ConnectorMetrics unknown;

    private Connectors(Map<String, Connector> connectors, List<ResponseSizeSetting> ownResponseSizes, Timing timing,
                       MeterRegistry meters) {
        this.connectors = Map.copyOf(connectors);
        this.ownResponseSizes = List.copyOf(ownResponseSizes);
        this.timing = timing;
        // One tag value for every unknown name: names from requests must not multiply the meters.
        this.unknown = new ConnectorMetrics(meters, "unknown");
    }

    /** The connectors of these files, with the system clock, no metrics export and the default answer size limit. */
    public static Connectors load(Path... files) {
        return builder().files(List.of(files)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Answers a request on the calling thread; never throws for a failed call (see
     * {@link Connector#call(BackendRequest)}).
     */
    public BackendResponse call(BackendRequest request) {
        Connector connector = connectors.get(request.getConnector());
        if (connector == null) {
            LOG.warn("Request {} names connector '{}', which is not configured", request.getRequestId(), request.getConnector());
            unknown.countResponse("unknown", BackendStatus.REJECTED);
            return Responses.withoutCall(request, BackendStatus.REJECTED,
                    "unknown connector '" + request.getConnector() + "'", timing.clock().instant());
        }
        return connector.call(request);
    }

    /** Answers a request on {@code executor}. */
    public CompletableFuture<BackendResponse> callAsync(BackendRequest request, Executor executor) {
        return CompletableFuture.supplyAsync(() -> call(request), executor);
    }

    public Optional<Connector> connector(String name) {
        return Optional.ofNullable(connectors.get(name));
    }

    public Set<String> names() {
        return connectors.keySet();
    }

    /** The connectors that set their own {@code maxResponseBytes}, with where they set it. */
    public List<ResponseSizeSetting> ownResponseSizes() {
        return ownResponseSizes;
    }

    /**
     * A connector's own {@code maxResponseBytes}.
     *
     * @param where how messages name the setting: {@code file: connectors[name].maxResponseBytes}
     */
    public record ResponseSizeSetting(String connector, String where, long maxResponseBytes) {
    }

    @Override
    public void close() {
        connectors.values().forEach(Connector::close);
    }

    /** Where connectors come from and what they are built with. */
    public static final class Builder {

        private final List<ConfigNode> files = new ArrayList<>();
        private Timing timing = Timing.system();
        private MeterRegistry meters = new SimpleMeterRegistry();
        private long maxResponseBytes = ConnectorEnvironment.DEFAULT_MAX_RESPONSE_BYTES;
        private ConfigVariables variables;

        private Builder() {
        }

        /** Adds connector files. */
        public Builder files(List<Path> paths) {
            paths.forEach(path -> files.add(YamlFiles.read(path)));
            return this;
        }

        public Builder file(Path path) {
            return files(List.of(path));
        }

        /** Adds connector definitions given as YAML text; {@code name} is how errors name it. */
        public Builder yaml(String name, String text) {
            files.add(YamlFiles.parse(name, text));
            return this;
        }

        /** Clock, waits and jitter (tests inject their own). */
        public Builder timing(Timing timing) {
            this.timing = Objects.requireNonNull(timing, "timing");
            return this;
        }

        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** The largest backend answer accepted by connectors that do not set their own. */
        public Builder maxResponseBytes(long maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /** How {@code ${...}} references are resolved; the env, file and directory providers by default. */
        public Builder configVariables(ConfigVariables variables) {
            this.variables = variables;
            return this;
        }

        /**
         * Validates every definition and builds the connectors.
         *
         * @throws org.apache.kafka.common.config.ConfigException naming the file, connector, operation and field
         */
        public Connectors build() {
            if (files.isEmpty()) {
                throw new IllegalStateException("no connector files were given");
            }
            List<ParsedConnector<?>> parsed;
            if (variables == null) {
                try (ConfigVariables standard = ConfigVariables.withStandardProviders()) {
                    parsed = ConnectorFiles.read(files, standard);
                }
            } else {
                parsed = ConnectorFiles.read(files, variables);
            }
            ConnectorEnvironment environment = new ConnectorEnvironment(timing, meters, maxResponseBytes);
            Map<String, Connector> built = new LinkedHashMap<>();
            try {
                parsed.forEach(connector -> built.put(connector.name(), connector.create(environment)));
            } catch (RuntimeException e) {
                built.values().forEach(Connector::close);
                throw e;
            }
            List<ResponseSizeSetting> ownSizes = new ArrayList<>();
            parsed.forEach(connector -> connector.definition().settings().maxResponseBytes().ifPresent(bytes ->
                    ownSizes.add(new ResponseSizeSetting(connector.name(), connector.file() + ": " + ConnectorFiles.CONNECTORS
                            + "[" + connector.name() + "]." + ConnectorSettings.MAX_RESPONSE_BYTES, bytes))));
            return new Connectors(built, ownSizes, timing, meters);
        }
    }
}
