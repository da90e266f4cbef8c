package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.FlowSource;
import io.parley.schemas.TelemetryEvent;
import io.parley.topics.Topic;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/**
 * What one measurement costs in the trigger rules, in CPU time of the thread that does the work (the machine is
 * shared, so wall-clock figures would measure the other builds): the S8 rules (10 over one metric,
 * {@code telemetry/s8-rules.yaml}), {@code parley.telemetry.devices} devices (default 2,000 and 100,000),
 * measurements round-robin over them, one per device every 10 s of event time, as in bench scenario S8.
 *
 * <ul>
 *   <li>{@code core}: the functional core alone: state bytes read, {@link RuleEngine#onMeasurement}, state bytes
 *       written, over a hash map standing in for the store;</li>
 *   <li>{@code decode}: the {@code TelemetryEvent} Avro decode alone;</li>
 *   <li>{@code topology}: the processor's real topology in a {@link org.apache.kafka.streams.TopologyTestDriver}
 *       (raw bytes in: the input's serialisation is not counted), with the records and bytes it writes per
 *       measurement to every topic, changelogs included. The test driver commits after every record, so its
 *       record cache never merges two updates of a device: its changelog figures are an upper bound.</li>
 * </ul>
 *
 * Not a test of speed (nothing here fails on a figure); not run by default (the name does not end in Test).
 * Run: {@code ./mvnw -B -pl processor -am verify -Dtest=TelemetryCostProbe -Dsurefire.failIfNoSpecifiedTests=false}
 * The figures go to {@code processor/target/telemetry-cost.md}.
 */
class TelemetryCostProbe {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long ROUND_MILLIS = 10_000;
    private static final int ROUNDS = Integer.getInteger("parley.telemetry.rounds", 3);

    @Test
    void measuresCpuAndWritesPerMeasurement() throws IOException {
        String devicesProperty = System.getProperty("parley.telemetry.devices", "2000,100000");
        StringBuilder report = new StringBuilder("| devices | part | CPU us per measurement | records and bytes written per measurement |\n"
                + "|---|---|---|---|\n");
        for (String devices : devicesProperty.split(",")) {
            int count = Integer.parseInt(devices.strip());
            Map<String, String> figures = measure(count);
            figures.forEach((part, value) -> report.append("| ").append(count).append(" | ").append(part).append(" | ")
                    .append(value).append(" |\n"));
        }
        Path out = Path.of("target", "telemetry-cost.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
        assertThat(report.toString()).contains("topology");
    }

    private Map<String, String> measure(int devices) {
        Map<String, String> figures = new LinkedHashMap<>();
        long base = TelemetryDriver.START.toEpochMilli();
        int warmRounds = 2;
        int total = warmRounds + ROUNDS;
        RuleEngine engine = new RuleEngine(RuleLoader.load(FlowSource.classpath("telemetry/s8-rules.yaml")));

        // The functional core alone.
        Map<String, byte[]> store = new HashMap<>();
        double coreUs = 0;
        for (int round = 0; round < total; round++) {
            long started = THREADS.getCurrentThreadCpuTime();
            for (int d = 0; d < devices; d++) {
                String id = "device-" + d;
                byte[] bytes = store.get(id);
                DeviceState state = bytes == null ? new DeviceState() : DeviceStateSerde.read(bytes);
                engine.onMeasurement(state, "temperature", -19 + (d % 7) * 0.1, base + round * ROUND_MILLIS, Map.of(), base);
                store.put(id, DeviceStateSerde.write(state));
            }
            if (round >= warmRounds) {
                coreUs += (THREADS.getCurrentThreadCpuTime() - started) / 1e3 / devices;
            }
        }
        long stateBytes = store.values().stream().mapToLong(b -> b.length).sum();
        figures.put("core (state read, rules, state write)", String.format("%.2f", coreUs / ROUNDS)
                + " | state " + stateBytes / devices + " bytes per device");
        store.clear();

        try (TelemetryDriver driver = TelemetryDriver.with("telemetry/s8-rules.yaml", config -> { })) {
            for (int d = 0; d < devices; d++) {
                driver.device("device-" + d, "Device " + d, "site " + (d % 100), Map.of());
            }
            Topic<String, TelemetryEvent> topic = driver.telemetryTopic();
            Serializer<TelemetryEvent> serializer = topic.valueSerde().serializer();
            Deserializer<TelemetryEvent> deserializer = topic.valueSerde().deserializer();
            double topologyUs = 0;
            double decodeUs = 0;
            Map<String, long[]> written = new TreeMap<>();
            for (int round = 0; round < total; round++) {
                List<byte[]> values = new ArrayList<>(devices);
                List<byte[]> keys = new ArrayList<>(devices);
                Instant at = Instant.ofEpochMilli(base + round * ROUND_MILLIS);
                for (int d = 0; d < devices; d++) {
                    String id = "device-" + d;
                    keys.add(id.getBytes(StandardCharsets.UTF_8));
                    values.add(serializer.serialize(topic.name(), TelemetryEvent.newBuilder().setEventId(id + "/" + round)
                            .setDeviceId(id).setMetric("temperature").setValue(-19 + (d % 7) * 0.1).setEventTime(at)
                            .setAttributes(Map.of()).build()));
                }
                long decodeStarted = THREADS.getCurrentThreadCpuTime();
                for (byte[] value : values) {
                    deserializer.deserialize(topic.name(), value);
                }
                long decoded = THREADS.getCurrentThreadCpuTime();
                for (int d = 0; d < devices; d++) {
                    driver.raw(keys.get(d), values.get(d), at);
                }
                long done = THREADS.getCurrentThreadCpuTime();
                for (String produced : driver.producedTopicNames()) {
                    long[] counts = driver.drain(produced);
                    if (round >= warmRounds) {
                        long[] sum = written.computeIfAbsent(produced, t -> new long[2]);
                        sum[0] += counts[0];
                        sum[1] += counts[1];
                    }
                }
                if (round >= warmRounds) {
                    decodeUs += (decoded - decodeStarted) / 1e3 / devices;
                    topologyUs += (done - decoded) / 1e3 / devices;
                }
            }
            figures.put("decode (TelemetryEvent Avro)", String.format("%.2f", decodeUs / ROUNDS) + " | ");
            StringBuilder writes = new StringBuilder();
            long measured = (long) devices * ROUNDS;
            written.forEach((name, counts) -> {
                if (counts[0] > 0) {
                    writes.append(name).append(": ").append(String.format("%.2f", counts[0] / (double) measured)).append(" / ")
                            .append(counts[1] / measured).append(" B; ");
                }
            });
            figures.put("topology (TopologyTestDriver, commit per record)", String.format("%.2f", topologyUs / ROUNDS) + " | "
                    + writes + " (topics written: " + driver.producedTopicNames() + ")");
        }
        return figures;
    }
}
