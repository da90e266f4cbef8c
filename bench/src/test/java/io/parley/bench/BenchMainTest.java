package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bench.pipeline.ParleyPipelineFactory;
import io.parley.bench.scenario.BenchSettings;
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
                .containsExactly("S1", "S2-alos", "S2-eos", "S3", "S4", "S5", "S6");
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
}
