package io.parley.bench.scenario;

import io.parley.bench.kafka.BenchKafka;
import io.parley.bench.kafka.ScenarioTopics;
import io.parley.bench.load.LoadDriver;
import io.parley.bench.load.NanoTimer;
import io.parley.bench.load.ProcessCpu;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.serde.AvroSerdeConfig;
import io.parley.topics.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What every scenario of a run shares: the cluster, the settings, the clocks, a work folder,
 * and the run id that keeps topic names, application ids and event ids apart between runs.
 */
public final class ScenarioContext {

    private final String runId;
    private final BenchKafka kafka;
    private final BenchSettings settings;
    private final Clock clock;
    private final NanoTimer timer;
    private final Path workDirectory;

    public ScenarioContext(String runId, BenchKafka kafka, BenchSettings settings, Clock clock, NanoTimer timer,
                           Path workDirectory) {
        this.runId = runId;
        this.kafka = kafka;
        this.settings = settings;
        this.clock = clock;
        this.timer = timer;
        this.workDirectory = workDirectory;
    }

    public String runId() {
        return runId;
    }

    public BenchKafka kafka() {
        return kafka;
    }

    public BenchSettings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    public NanoTimer timer() {
        return timer;
    }

    /**
     * Serde settings: an in-memory registry scoped to the run, shared by everything in the
     * bench JVM (a processor in a child JVM needs a registry it can reach over HTTP instead).
     */
    public Map<String, Object> serdeConfig() {
        return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, AvroSerdeConfig.MOCK_URL_PREFIX + "bench-" + runId);
    }

    /** The scenario's topic names and serdes (not created yet). */
    public ScenarioTopics topicsFor(String scenarioId) {
        return new ScenarioTopics(runId, scenarioId, serdeConfig());
    }

    /** A new folder under the run's work folder. */
    public Path newDirectory(String name) {
        try {
            return Files.createDirectories(workDirectory.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the bench work folder " + workDirectory.resolve(name), e);
        }
    }

    /** A load driver sending to {@code events} and reading {@code replies}; the caller closes it. */
    public LoadDriver loadDriver(Topic<String, ChatEvent> events, Topic<String, ChatReply> replies) {
        return new LoadDriver(kafka.clientConfig(), events, replies, settings.load(), timer, clock, ProcessCpu.jvm());
    }
}
