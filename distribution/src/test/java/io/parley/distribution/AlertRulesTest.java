package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus files under deploy/prometheus, checked by Prometheus' own promtool (Debian package
 * {@code prometheus}; .ci/run installs it). Without promtool these tests fail: they never skip.
 */
class AlertRulesTest {

    private static final Path PROMETHEUS = MonitoringFiles.DEPLOY.resolve("prometheus");

    @Test
    void alertRulesAreValid() throws Exception {
        String output = promtool("check", "rules", "parley-alerts.yaml");

        assertThat(output).contains("SUCCESS: 8 rules found");
    }

    @Test
    void alertsFireOnTheSeriesOfTheirUnitTests() throws Exception {
        // Circuit open, dead letters, fallback rate, growing lag: each fires when it should and not before.
        assertThat(promtool("test", "rules", "parley-alerts.test.yaml")).contains("SUCCESS");
    }

    @Test
    void exampleScrapeConfigurationIsValid() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml")).contains("is valid prometheus config file syntax");
    }

    @Test
    void shipsTheAlertsOperatorsAskFor() {
        assertThat(MonitoringFiles.alertExpressions()).containsKeys("ParleyFallbackRateHigh", "ParleyCircuitOpen",
                "ParleyConsumerLagGrowing", "ParleyDeadLettersReceived", "ParleyPendingCallsGrowing");
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add("promtool");
        builder.command().addAll(List.of(arguments));
        builder.directory(PROMETHEUS.toFile()).redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return fail("promtool is not installed: install Debian's prometheus package (apt-get install prometheus; .ci/run does)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s:\n%s", String.join(" ", arguments), output).isZero();
        return output;
    }
}
