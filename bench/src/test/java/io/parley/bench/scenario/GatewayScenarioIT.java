package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.kafka.BenchKafka;
import io.parley.bench.load.NanoTimer;
import io.parley.bench.pipeline.ParleyPipelineFactory;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S7 at a small scale, end to end: a gateway JVM before the real processor on a real broker, 50
 * WebSocket clients (in the ws-clients JVM, and in the bench JVM), a few seconds of messages. Proves the scenario works; its figures are not
 * judged here (timing targets belong to the bench run, not to a test).
 */
class GatewayScenarioIT {

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
    void fiftyWebSocketConversationsAreAllAnsweredThroughAGatewayInItsOwnJvm() throws Exception {
        // Given 50 connections, each sending every second for one second of warm-up and three measured
        GatewayLoad load = new GatewayLoad(50, Duration.ofSeconds(1), Duration.ofSeconds(3), 100, 25, Duration.ofSeconds(30),
                "256m", GatewayLoad.Responder.PARLEY);
        ScenarioContext context = new ScenarioContext("itgw", kafka, BenchSettings.quick(), Clock.systemUTC(), NanoTimer.system(),
                work);

        // When the scenario runs
        ScenarioResult result = new GatewayScenario(new ParleyPipelineFactory(), load).run(context);

        // Then every connection was greeted and every message answered, and the figures were measured
        assertThat(result.status()).as(result.reason().orElse("")).isEqualTo(ScenarioResult.Status.COMPLETED);
        assertThat(value(result, "connections.established")).isEqualTo(50);
        assertThat(value(result, "connections.failed")).isZero();
        assertThat(value(result, "messages.lost")).isZero();
        assertThat(value(result, "messages.sent")).isGreaterThanOrEqualTo(150);
        assertThat(value(result, "added.p99")).isNotNegative();
        assertThat(value(result, "pipeline.p50")).isPositive();
        assertThat(value(result, "endToEnd.p50")).isGreaterThanOrEqualTo(value(result, "pipeline.p50") - 1);
        assertThat(value(result, "rss.peak")).isBetween(32.0, 2048.0);
        assertThat(value(result, "maxHeap")).isEqualTo(256.0);
        assertThat(result.configuration()).containsEntry("gateway.jvmOptions", "-Xmx256m");
        // and the clients ran in the ws-clients JVM, which reported its collector's pauses in the window
        assertThat(result.configuration().get("clients.placement").toString()).startsWith("ws-clients process");
        assertThat(result.configuration().get("clients.jvmOptions").toString()).contains("-XX:+UseZGC");
        assertThat(value(result, "clients.gcPauses")).isNotNegative();
        assertThat(value(result, "clients.cpuShare")).isPositive();
    }

    @Test
    void withTheEchoResponderAndTheClientsInTheBenchJvmEveryMessageIsAnsweredWithoutAPipeline() throws Exception {
        // Given 50 connections in the bench JVM (the method before the ws-clients process) and an echo consumer
        // instead of the processor and worker
        GatewayLoad load = new GatewayLoad(50, Duration.ofSeconds(1), Duration.ofSeconds(3), 100, 25, Duration.ofSeconds(30),
                "256m", GatewayLoad.Responder.ECHO)
                .withClients(GatewayLoad.Clients.defaults().withPlacement(GatewayLoad.Clients.Placement.IN_PROCESS));
        ScenarioContext context = new ScenarioContext("itecho", kafka, BenchSettings.quick(), Clock.systemUTC(), NanoTimer.system(),
                work);

        // When the scenario runs
        ScenarioResult result = new GatewayScenario(new ParleyPipelineFactory(), load).run(context);

        // Then every message got its echo through the gateway, and the report says no pipeline was behind it
        assertThat(result.status()).as(result.reason().orElse("")).isEqualTo(ScenarioResult.Status.COMPLETED);
        assertThat(value(result, "messages.lost")).isZero();
        assertThat(value(result, "messages.sent")).isGreaterThanOrEqualTo(150);
        assertThat(value(result, "added.p99")).isNotNegative();
        assertThat(result.configuration().get("pipeline").toString()).startsWith("none: an echo consumer");
        assertThat(result.configuration()).doesNotContainKey("processing.guarantee");
        assertThat(result.configuration().get("clients.placement").toString()).startsWith("in-process");
        assertThat(result.measurement("clients.gcPauses")).isEmpty();
    }

    private static double value(ScenarioResult result, String key) {
        Measurement line = result.measurement(key).orElseThrow(() -> new AssertionError("no line " + key));
        return line.value().orElseThrow(() -> new AssertionError("line " + key + " has no value"));
    }
}
