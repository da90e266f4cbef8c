package io.parley.worker;

import io.parley.runtime.config.ConfigSection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.runtime.ConfigVariables;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.Connector;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorMetrics;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ParsedConnector;
import io.parley.worker.connector.Responses;
import io.parley.worker.connector.Timing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>The definitions can be replaced while calls run ({@link #replaceWith(Connectors)}, what the
 * worker's reload does): a call runs entirely on the version that was current when it started, and
 * a replaced version's connectors close once its last call has finished.
 */
public final class Connectors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Connectors.class);

    private final AtomicReference<ConnectorGeneration> current;
    private final Timing timing;
    private final ConnectorMetrics unknown;

    private Connectors(ConnectorGeneration generation, Timing timing, MeterRegistry meters) {
        this.current = new AtomicReference<>(generation);
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
        ConnectorGeneration generation = lease();
        try {
            return call(generation, request);
        } finally {
            generation.release();
        }
    }

    /** The current generation, with a lease for one call. */
    private ConnectorGeneration lease() {
        while (true) {
            ConnectorGeneration generation = current.get();
            // Fails only when a reload closed it between the read and the lease: the next read finds its successor.
            if (generation.tryAcquire()) {
                return generation;
            }
        }
    }

    private BackendResponse call(ConnectorGeneration generation, BackendRequest request) {
        Connector connector = generation.connectors().get(request.getConnector());
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

    /** A connector of the current version (a later reload may close it). */
    public Optional<Connector> connector(String name) {
        return Optional.ofNullable(current.get().connectors().get(name));
    }

    public Set<String> names() {
        return current.get().connectors().keySet();
    }

    /** The connectors that set their own {@code maxResponseBytes}, with where they set it. */
    public List<ResponseSizeSetting> ownResponseSizes() {
        return current.get().ownResponseSizes();
    }

    /**
     * The catalog of the current definitions: one record per connector with its operations, their
     * parameters and response schemas, numbered with the current version (published to {@code parley.connectors}).
     */
    public List<io.parley.schemas.ConnectorCatalog> catalog(java.time.Instant now) {
        ConnectorGeneration generation = current.get();
        return ConnectorCatalogs.of(generation.definitions(), generation.version().number(), now);
    }

    /** Which definitions answer new calls. */
    public Version version() {
        return current.get().version();
    }

    /**
     * Makes {@code next}'s definitions the ones new calls use, numbered after the current version;
     * calls already running finish on the old ones, which close after the last of them. {@code next}
     * must not be used or closed afterwards. One replacement at a time (the reloader's checks are serialised).
     *
     * @return the version now active
     */
    public Version replaceWith(Connectors next) {
        ConnectorGeneration incoming = next.current.get();
        Version version = new Version(current.get().version().number() + 1, incoming.version().hash());
        ConnectorGeneration numbered = new ConnectorGeneration(incoming.connectors(), incoming.ownResponseSizes(), version,
                incoming.definitions());
        ConnectorGeneration previous = current.getAndSet(numbered);
        previous.retire();
        return version;
    }

    /**
     * A version of the connector definitions.
     *
     * @param number 1 for the definitions read at start, one more for each reload applied
     * @param hash the SHA-256 of the definition texts (hex), the same for the same files
     */
    public record Version(long number, String hash) {

        /** The first 12 hex digits of the hash, enough to tell versions apart in logs and metrics. */
        public String shortHash() {
            return hash.substring(0, Math.min(12, hash.length()));
        }
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
        current.get().retire();
    }

    /** The hash of connector definition texts; how {@link Version#hash()} is computed. */
    public static String hash(List<Map.Entry<String, String>> namedTexts) {
        MessageDigest digest = sha256();
        namedTexts.forEach(entry -> {
            digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(entry.getValue().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Where connectors come from and what they are built with. */
    public static final class Builder {

        private final List<ConfigSection> files = new ArrayList<>();
        /** The texts read, by name: what the version's hash is computed from. */
        private final List<Map.Entry<String, String>> texts = new ArrayList<>();
        private Timing timing = Timing.system();
        private MeterRegistry meters = new SimpleMeterRegistry();
        private long maxResponseBytes = ConnectorEnvironment.DEFAULT_MAX_RESPONSE_BYTES;
        private ConfigVariables variables;

        private Builder() {
        }

        /** Adds connector files. */
        public Builder files(List<Path> paths) {
            paths.forEach(path -> {
                String text = YamlFiles.readText(path);
                texts.add(Map.entry(path.toString(), text));
                files.add(YamlFiles.parse(path.toString(), text));
            });
            return this;
        }

        public Builder file(Path path) {
            return files(List.of(path));
        }

        /** Adds the worker's connector sources, in order. */
        public Builder sources(List<WorkerConfig.ConnectorSource> sources) {
            for (WorkerConfig.ConnectorSource source : sources) {
                if (source.file() != null) {
                    file(source.file());
                } else {
                    yaml(source.name(), source.yaml());
                }
            }
            return this;
        }

        /** Adds connector definitions given as YAML text; {@code name} is how errors name it. */
        public Builder yaml(String name, String text) {
            texts.add(Map.entry(name, text));
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
            Version version = new Version(1, hash(texts));
            return new Connectors(new ConnectorGeneration(built, ownSizes, version, parsed), timing, meters);
        }
    }
}
