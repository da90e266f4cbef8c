package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bench.pipeline.ParleyPipelineFactory;
import io.parley.bench.scenario.BenchSettings;
import io.parley.bench.scenario.GatewayLoad;
import io.parley.bench.load.NanoTimer;
import io.parley.bench.scenario.Scenario;
import io.parley.bench.scenario.ScenarioContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchMainTest {

    private static BenchMain parse(String... args) {
        BenchMain main = new BenchMain(new ParleyPipelineFactory(), args);
        new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return main;
    }

    @Test
    void quickRunsTheSmallPresetWithOptionsOnTop() {
        BenchSettings settings = parse("--quick", "--messages", "2000", "--rate-duration", "3s", "--max-in-flight", "100")
                .settings();

        assertThat(settings.mode()).isEqualTo("quick");
        assertThat(settings.messages()).isEqualTo(2_000);
        assertThat(settings.rateDuration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.load().maxInFlight()).isEqualTo(100);
        assertThat(settings.baselineMessages()).isEqualTo(BenchSettings.quick().baselineMessages());
    }

    @Test
    void withoutOptionsItIsTheFullRunOfEveryScenario() {
        BenchMain main = parse();

        assertThat(main.settings()).isEqualTo(BenchSettings.full());
        assertThat(main.selectedScenarios()).extracting(Scenario::id)
                .containsExactly("S1", "S2-alos", "S2-eos", "S3", "S4", "S5", "S6", "S7", "S9");
    }

    @Test
    void brokerPropertiesAreKeptForTheEmbeddedBroker() {
        BenchMain main = parse("--broker-property", "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000");

        assertThat(main.brokerProperties).containsEntry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    }

    @Test
    void scenariosRunInTheOrderGivenAndS2MeansBothGuarantees() {
        assertThat(parse("--scenarios", "s4,S2").selectedScenarios()).extracting(Scenario::id)
                .containsExactly("S4", "S2-alos", "S2-eos");
    }

    @Test
    void s2RunsTheGuaranteesGivenInTheirOrderEachOnce() {
        assertThat(parse("--scenarios", "S2", "--s2-guarantees", "exactly_once_v2,AT_LEAST_ONCE").selectedScenarios())
                .extracting(Scenario::id).containsExactly("S2-eos", "S2-alos");
        assertThat(parse("--scenarios", "S2", "--s2-guarantees", "exactly_once_v2").selectedScenarios())
                .extracting(Scenario::id).containsExactly("S2-eos");
        assertThatThrownBy(() -> parse("--scenarios", "S2", "--s2-guarantees", "at_least_once,at_least_once").selectedScenarios())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most once");
        assertThatThrownBy(() -> parse("--scenarios", "S2,S2").selectedScenarios())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names a scenario twice");
        assertThat(BenchMain.commandLine(new BenchMain(null, new String[0])).execute("--s2-guarantees", "exactly_once"))
                .as("a usage error").isEqualTo(1);
    }

    @Test
    void theFailoverSessionsAndTheScalingInstancesComeFromTheirOptions() {
        // Given S6 with 100,000 sessions and S9 with 1 and 4 instances
        BenchMain main = parse("--scenarios", "S6,S9", "--s6-sessions", "100000", "--s9-instances", "1,4");
        ScenarioContext context = new ScenarioContext("t", null, main.settings(), Clock.systemUTC(), NanoTimer.system(), Path.of("x"));

        // When the scenarios are selected
        var selected = main.selectedScenarios();

        // Then S6 seeds 100,000 sessions and S9 measures 1 and 4 instances
        assertThat(selected).extracting(Scenario::id).containsExactly("S6", "S9");
        assertThat(selected.get(0).configuration(context).get("seeded sessions").toString()).startsWith("100000 ");
        assertThat(selected.get(1).title()).contains("[1, 4]");
        assertThat(parse("--scenarios", "S6").selectedScenarios().get(0).configuration(context).get("seeded sessions").toString())
                .startsWith("10000 ");
    }

    @Test
    void badFailoverSessionsOrScalingInstancesAreRefused() {
        assertThatThrownBy(() -> parse("--scenarios", "S6", "--s6-sessions", "0").selectedScenarios())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--s6-sessions");
        assertThatThrownBy(() -> parse("--scenarios", "S9", "--s9-instances", "13").selectedScenarios())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--s9-instances");
    }

    @Test
    void aBadDurationNamesTheOption() {
        BenchMain main = parse("--rate-duration", "soon");

        assertThatThrownBy(main::settings).isInstanceOf(ConfigException.class).hasMessageContaining("--rate-duration");
    }

    @Test
    void theGatewayScenarioTakesItsLoadFromThePresetAndTheWsOptions() {
        // Given the full preset with fewer connections, a longer interval and a smaller gateway heap
        BenchMain main = parse("--scenarios", "S7", "--ws-connections", "2000", "--ws-interval", "5s", "--gateway-heap", "384m");

        // When the load is read
        GatewayLoad load = main.gatewayLoad();

        // Then the options win and the rest is the full preset
        assertThat(load.connections()).isEqualTo(2_000);
        assertThat(load.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(load.offeredPerSecond()).isEqualTo(400.0);
        assertThat(load.duration()).isEqualTo(GatewayLoad.full().duration());
        assertThat(load.gatewayHeap()).isEqualTo("384m");
        assertThat(load.responder()).isEqualTo(GatewayLoad.Responder.PARLEY);
        assertThat(parse("--ws-responder", "echo").gatewayLoad().responder()).isEqualTo(GatewayLoad.Responder.ECHO);
        assertThat(parse("--quick").gatewayLoad()).isEqualTo(GatewayLoad.quick());
        assertThat(main.selectedScenarios()).extracting(Scenario::id).containsExactly("S7");
    }

    @Test
    void theWsClientsRunInAJvmOfTheirOwnUnlessToldToRunInTheBenchJvm() {
        // Given no clients option, then every clients option
        GatewayLoad.Clients byDefault = parse("--scenarios", "S7").gatewayLoad().clients();
        GatewayLoad.Clients given = parse("--ws-clients", "in-process", "--ws-clients-java", "/opt/java/bin/java",
                "--ws-clients-heap", "2g", "--ws-clients-jvm-option", "-XX:+AlwaysPreTouch").gatewayLoad().clients();

        // Then the default is the ws-clients process on the bench's own java with ZGC, and the options win
        assertThat(byDefault.placement()).isEqualTo(GatewayLoad.Clients.Placement.PROCESS);
        assertThat(byDefault.java()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
        assertThat(byDefault.jvmOptions()).startsWith("-Xmx1g", "-XX:+UseZGC");
        assertThat(given.placement()).isEqualTo(GatewayLoad.Clients.Placement.IN_PROCESS);
        assertThat(given.java()).isEqualTo(Path.of("/opt/java/bin/java"));
        assertThat(given.jvmOptions()).containsExactly("-Xmx2g", "-XX:+UseZGC", "-XX:+AlwaysPreTouch");
        assertThat(parse("--ws-clients", "PROCESS").gatewayLoad().clients().placement())
                .isEqualTo(GatewayLoad.Clients.Placement.PROCESS);
        assertThatThrownBy(() -> parse("--ws-clients", "elsewhere")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("process or in-process");
        assertThatThrownBy(() -> parse("--ws-clients-heap", "much").gatewayLoad()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("much");
    }

    @Test
    void aBadGatewayHeapIsRefused() {
        BenchMain main = parse("--gateway-heap", "lots");

        assertThatThrownBy(main::gatewayLoad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lots");
    }
}
