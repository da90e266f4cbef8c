package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.kafka.BenchKafka;
import io.parley.bench.load.NanoTimer;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S8 at a small scale, end to end: the real processor with the 10 rules on a real broker, 200 devices, a few
 * thousand measurements and a few alerts, under both guarantees, and the drain of a pre-filled topic. Proves the
 * scenario works and reports CPU per measurement by kind of thread; its figures are not judged here (timing targets
 * belong to the bench run, not to a test).
 */
class TelemetryScenarioIT {

    private static BenchKafka kafka;

    @TempDir
    Path work;

    @BeforeAll
    static void startKafka() {
        kafka = BenchKafka.embedded();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void measurementsGoThroughTheRulesAndProvokedAlertsArriveUnderBothGuarantees() throws Exception {
        ScenarioContext context = new ScenarioContext("itS8", kafka, BenchSettings.quick(), Clock.systemUTC(), NanoTimer.system(),
                work);

        ScenarioResult result = new TelemetryScenario(new TelemetryLoad(200, 4_000, 5)).run(context);

        assertThat(result.status()).as(result.reason().orElse("")).isEqualTo(ScenarioResult.Status.COMPLETED);
        for (String guarantee : new String[] {"alos", "eos"}) {
            assertThat(value(result, guarantee + ".throughput")).isPositive();
            assertThat(value(result, guarantee + ".alert.p99")).isPositive()
                    .isGreaterThanOrEqualTo(value(result, guarantee + ".alert.p50"));
            assertThat(value(result, guarantee + ".rss")).isBetween(32.0, 8192.0);
        }
        // The second at_least_once figure: a pre-filled topic drained with the load generator idle.
        assertThat(value(result, "alos.drain.throughput")).isPositive();
        for (String phase : new String[] {"alos", "eos", "alos.drain"}) {
            double total = value(result, phase + ".cpu.total");
            double stream = value(result, phase + ".cpu.stream");
            assertThat(stream).as(phase + " stream-thread CPU per measurement").isPositive().isLessThan(total);
            assertThat(value(result, phase + ".cpu.broker")).as(phase + " broker CPU per measurement").isPositive();
        }
        assertThat(value(result, "alos.cpu.load")).as("the load generator works during the live phase").isPositive();
        assertThat(result.configuration()).containsEntry("rulesPerDevice", 10)
                .containsEntry("stream.threads", Math.min(Runtime.getRuntime().availableProcessors(), BenchSettings.quick().partitions()));
    }

    private static double value(ScenarioResult result, String key) {
        Measurement line = result.measurement(key).orElseThrow(() -> new AssertionError("no line " + key));
        return line.value().orElseThrow(() -> new AssertionError("line " + key + " has no value"));
    }
}
