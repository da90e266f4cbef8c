package io.parley.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/metrics.md is what {@link MetricReference} renders, and the catalogue agrees with
 * what the services' main sources register: a new metric not in the catalogue, or a catalogued
 * metric no longer registered, fails here.
 */
class MetricReferenceTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path FILE = ROOT.resolve("docs/reference/metrics.md");

    @Test
    void theMetricReferenceIsUpToDate() throws Exception {
        // Given the catalogue rendered today
        String rendered = MetricReference.render();
        if (Boolean.getBoolean("parley.docs.regenerate")) {
            Files.writeString(FILE, rendered, StandardCharsets.UTF_8);
        }

        // Then the file says the same
        String written = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "";
        assertThat(written).as("docs/reference/metrics.md is stale; regenerate it with%n  %s%n", MetricReference.REGENERATE)
                .isEqualTo(rendered);
    }

    @Test
    void everyRegisteredMetricIsCataloguedAndEveryCataloguedMetricIsRegistered() {
        for (MetricReference.Service service : MetricReference.SERVICES) {
            // Given what the service's code registers and what the catalogue declares
            Set<String> registered = MetricReference.registeredNames(ROOT, service);
            Set<String> declared = service.metrics().stream().map(MetricReference.Metric::name)
                    .collect(Collectors.toCollection(TreeSet::new));

            // Then they are the same names
            Set<String> undocumented = new TreeSet<>(registered);
            undocumented.removeAll(declared);
            Set<String> gone = new TreeSet<>(declared);
            gone.removeAll(registered);
            assertThat(undocumented).as("%s registers metrics missing from MetricReference", service.name()).isEmpty();
            assertThat(gone).as("%s: MetricReference lists metrics the code no longer registers", service.name()).isEmpty();
        }
    }

    @Test
    void everyTagTheCodeSetsIsInTheCatalogue() {
        for (MetricReference.Service service : MetricReference.SERVICES) {
            // Given the tag keys the service's code sets on each metric
            Map<String, Set<String>> tagKeys = MetricReference.registeredTagKeys(ROOT, service);

            // Then each is named (in backticks) in the catalogue's tags of that metric
            for (MetricReference.Metric metric : service.metrics()) {
                for (String key : tagKeys.getOrDefault(metric.name(), Set.of())) {
                    assertThat(metric.tags()).as("%s: tag '%s' of %s is not in MetricReference", service.name(), key, metric.name())
                            .contains("`" + key + "`");
                }
            }
        }
    }

    @Test
    void tagKeysAreReadFromTheRegisteringStatement() throws Exception {
        // Given a source file with three ways of tagging
        Path root = Files.createTempDirectory("metric-tags");
        Path sources = Files.createDirectories(root.resolve("svc/src/main/java"));
        Files.writeString(sources.resolve("Meters.java"), """
                class Meters {
                    void register(MeterRegistry registry) {
                        Counter.builder("parley.a").tag("outcome", "x").tags("connector", c, "operation", o).register(registry);
                        registry.counter("parley.b", "reason", r);
                        Counter.builder("parley.c").register(registry).increment(); Tags.of("ignored", "y");
                    }
                }
                """);
        MetricReference.Service service = new MetricReference.Service("svc", "0", List.of("svc/src/main/java"), List.of());

        // Then the keys of each statement are found, and none of the next statement
        assertThat(MetricReference.registeredTagKeys(root, service)).isEqualTo(Map.of(
                "parley.a", Set.of("outcome", "connector"), "parley.b", Set.of("reason"), "parley.c", Set.of()));
    }

    @Test
    void prometheusNamesFollowMicrometersConventions() {
        assertThat(new MetricReference.Metric("parley.turns", MetricReference.Type.COUNTER, "", "", "").prometheus())
                .isEqualTo("parley_turns_total");
        assertThat(new MetricReference.Metric("parley.stream.busy", MetricReference.Type.GAUGE, "seconds", "", "").prometheus())
                .isEqualTo("parley_stream_busy_seconds");
        assertThat(new MetricReference.Metric("parley.worker.call", MetricReference.Type.TIMER_BUCKETS, "seconds", "", "")
                .prometheus()).isEqualTo("parley_worker_call_seconds");
    }
}
