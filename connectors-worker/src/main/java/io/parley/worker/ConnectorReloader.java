package io.parley.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.worker.WorkerConfig.ConnectorSource;
import io.parley.worker.config.YamlFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the worker's connector files when their content changes. Each check hashes the files
 * (SHA-256 of their text, so a touched but unchanged file is no change) and, when the hash differs
 * from the last one seen, builds the connectors again with the worker's own loader. Valid
 * definitions replace the running ones ({@link Connectors#replaceWith}: calls in flight finish on
 * the old version, new calls use the new one); invalid ones are refused with one WARN line naming
 * the problem, and the running version stays. Meters:
 * {@code parley.worker.connector.reloads} (tag {@code outcome}: {@code applied}, {@code refused})
 * and {@code parley.worker.connector.version} (gauge: the active version's number, tag {@code hash}:
 * the first 12 hex digits of its SHA-256).
 */
public final class ConnectorReloader implements AutoCloseable {

    public static final String RELOADS = "parley.worker.connector.reloads";
    public static final String VERSION = "parley.worker.connector.version";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorReloader.class);

    /** What one check did. */
    public enum Outcome { UNCHANGED, APPLIED, REFUSED }

    private final Connectors connectors;
    private final List<ConnectorSource> sources;
    private final Supplier<Connectors.Builder> builders;
    private final Consumer<Connectors> extraCheck;
    private final MeterRegistry meters;
    private final Counter applied;
    private final Counter refused;
    /** The content last looked at, applied or refused: the same content is not tried (or warned about) twice. */
    private String seen;
    private Consumer<Connectors> onApplied = next -> { };
    private Gauge version;
    private ScheduledExecutorService scheduler;

    /**
     * @param sources where the running definitions came from (files are watched; texts never change)
     * @param builders a builder for the new definitions, with the same clock, meters and limits as the running ones
     * @param extraCheck what the worker checks beyond the loader (throws {@link ConfigException} to refuse)
     */
    public ConnectorReloader(Connectors connectors, List<ConnectorSource> sources, Supplier<Connectors.Builder> builders,
                             Consumer<Connectors> extraCheck, MeterRegistry meters) {
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.sources = List.copyOf(sources);
        this.builders = Objects.requireNonNull(builders, "builders");
        this.extraCheck = Objects.requireNonNull(extraCheck, "extraCheck");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.applied = reloads("applied");
        this.refused = reloads("refused");
        this.seen = connectors.version().hash();
        exposeVersion(connectors.version());
    }

    private Counter reloads(String outcome) {
        return Counter.builder(RELOADS).description("Changes of the connector files applied or refused")
                .tag("outcome", outcome).register(meters);
    }

    /** What to do after a reload was applied (the worker publishes its connector catalog); runs on the checking thread. */
    public synchronized ConnectorReloader onApplied(Consumer<Connectors> listener) {
        this.onApplied = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Checks every {@code interval} from now on, on a thread of its own, until {@link #close()}. */
    public synchronized ConnectorReloader start(Duration interval) {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "parley-connector-reload");
                thread.setDaemon(true);
                return thread;
            });
            long millis = interval.toMillis();
            scheduler.scheduleWithFixedDelay(this::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            // A failed check must not end the schedule: the next one tries again.
            LOG.warn("Checking the connector files for changes failed; version {} stays active", connectors.version().number(), e);
        }
    }

    /** Compares the files with the running version, and applies or refuses what changed. */
    public synchronized Outcome checkNow() {
        String hash;
        try {
            hash = Connectors.hash(texts());
        } catch (ConfigException e) {
            return refuse("unreadable: " + e.getMessage(), e.getMessage());
        }
        if (hash.equals(seen)) {
            return Outcome.UNCHANGED;
        }
        Connectors next;
        try {
            next = rebuild();
        } catch (ConfigException e) {
            return refuse(hash, e.getMessage());
        } catch (RuntimeException e) {
            // Not a validation message: its text could hold anything (a URL with credentials), so only its kind is logged.
            return refuse(hash, "building the connectors failed (" + e.getClass().getName() + ")");
        }
        Connectors.Version active = connectors.replaceWith(next);
        seen = active.hash();
        applied.increment();
        exposeVersion(active);
        LOG.info("Connector files reloaded: version {} (sha256 {}) answers new calls; calls in flight finish on the previous one",
                active.number(), active.shortHash());
        try {
            onApplied.accept(connectors);
        } catch (RuntimeException e) {
            LOG.warn("After applying connector version {}: {}", active.number(), e.getClass().getName(), e);
        }
        return Outcome.APPLIED;
    }

    private Connectors rebuild() {
        Connectors next = builders.get().sources(sources).build();
        try {
            extraCheck.accept(next);
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        return next;
    }

    private Outcome refuse(String content, String reason) {
        if (content.equals(seen)) {
            return Outcome.UNCHANGED;
        }
        seen = content;
        refused.increment();
        Connectors.Version active = connectors.version();
        LOG.warn("Connector files changed but were refused; version {} (sha256 {}) stays active: {}", active.number(),
                active.shortHash(), reason);
        return Outcome.REFUSED;
    }

    private List<Map.Entry<String, String>> texts() {
        List<Map.Entry<String, String>> texts = new ArrayList<>();
        for (ConnectorSource source : sources) {
            texts.add(Map.entry(source.name(), source.file() != null ? YamlFiles.readText(source.file()) : source.yaml()));
        }
        return texts;
    }

    private void exposeVersion(Connectors.Version active) {
        if (version != null) {
            meters.remove(version);
        }
        long number = active.number();
        version = Gauge.builder(VERSION, () -> number)
                .description("The active version of the connector definitions (1 at start, one more per reload applied)")
                .tag("hash", active.shortHash()).register(meters);
    }

    /** Stops checking; a check under way finishes first. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
