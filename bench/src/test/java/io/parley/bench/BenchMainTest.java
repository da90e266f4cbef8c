package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bench.pipeline.ParleyPipelineFactory;
import io.parley.bench.scenario.BenchSettings;
import io.parley.bench.scenario.GatewayLoad;
import io.parley.bench.scenario.Scenario;
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
                .containsExactly("S1", "S2-alos", "S2-eos", "S3", "S4", "S5", "S6", "S7");
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
    void aBadGatewayHeapIsRefused() {
        BenchMain main = parse("--gateway-heap", "lots");

        assertThatThrownBy(main::gatewayLoad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lots");
    }
}
