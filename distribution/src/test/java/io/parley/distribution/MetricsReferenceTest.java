package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/metrics.md lists exactly the metrics the services register: every metric name given to a Micrometer
 * builder or registry call in the main sources of processor, connectors-worker, gateway, bridge, analytics and runtime
 * (as a literal, or as a {@code static final String} constant of the same file) has a row, and every row names a
 * metric that is still registered, with the Prometheus name Micrometer derives from it.
 */
class MetricsReferenceTest {

    /** Run from the module folder, as Maven does. */
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path REFERENCE = REPOSITORY.resolve("docs/reference/metrics.md");
    private static final List<String> SERVICES = List.of("processor", "connectors-worker", "gateway", "bridge", "analytics", "runtime");

    private static final String NAME = "(parley\\.[a-z0-9_.]+)";
    private static final Pattern LITERAL = Pattern.compile("(?:builder|counter|timer|gauge|summary)\\(\\s*\"" + NAME + "\"");
    private static final Pattern CONSTANT = Pattern.compile("static final String ([A-Z_]+)\\s*=\\s*\"" + NAME + "\"\\s*;");
    private static final Pattern ROW = Pattern.compile("^\\| `" + NAME + "` \\| `([a-z0-9_]+)[^|]*\\| ([a-z]+) \\|", Pattern.MULTILINE);

    @Test
    void theReferenceListsExactlyTheRegisteredMetrics() throws IOException {
        // Given the metric names registered in the services' sources
        Set<String> registered = registeredMetricNames();
        assertThat(registered).as("metric names found in the sources").contains("parley.turns", "parley.worker.call",
                "parley.gateway.messages", "parley.bridge.messages", "parley.analytics.turns");

        // When the reference is read
        Map<String, String> listed = listedMetrics();

        // Then both name the same metrics
        assertThat(new TreeSet<>(listed.keySet()))
                .as("docs/reference/metrics.md rows (left) against the metrics registered in %s (right): add a row for a new "
                        + "metric, remove the row of one that is gone", SERVICES)
                .isEqualTo(registered);
    }

    @Test
    void everyRowsPrometheusNameIsTheOneMicrometerDerives() throws IOException {
        Map<String, String> listed = listedMetrics();

        listed.forEach((name, prometheus) -> assertThat(prometheus)
                .as("the Prometheus name of %s in docs/reference/metrics.md", name)
                .startsWith(name.replace('.', '_')));
    }

    private static Map<String, String> listedMetrics() throws IOException {
        Map<String, String> listed = new LinkedHashMap<>();
        Matcher row = ROW.matcher(Files.readString(REFERENCE));
        while (row.find()) {
            assertThat(listed.put(row.group(1), row.group(2))).as("%s listed twice", row.group(1)).isNull();
        }
        assertThat(listed).as("rows of docs/reference/metrics.md").isNotEmpty();
        return listed;
    }

    private static Set<String> registeredMetricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String service : SERVICES) {
            try (Stream<Path> files = Files.walk(REPOSITORY.resolve(service).resolve("src/main/java"))) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(file -> names.addAll(metricNames(read(file))));
            }
        }
        return names;
    }

    /** Literal names given to a builder or registry call, and constants of the file that such a call is given. */
    static Set<String> metricNames(String source) {
        Set<String> names = new TreeSet<>();
        Matcher literal = LITERAL.matcher(source);
        while (literal.find()) {
            names.add(literal.group(1));
        }
        Matcher constant = CONSTANT.matcher(source);
        while (constant.find()) {
            if (Pattern.compile("(?:builder|counter|timer|gauge|summary)\\(\\s*" + constant.group(1) + "\\b").matcher(source).find()) {
                names.add(constant.group(2));
            }
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aConstantCountsOnlyWhenAMeterIsBuiltWithIt() {
        String source = """
                static final String CALLS = "parley.demo.calls";
                static final String SETTING = "parley.demo.setting";
                Counter.builder(CALLS).register(registry);
                registry.timer("parley.demo.time");
                """;

        assertThat(metricNames(source)).containsExactly("parley.demo.calls", "parley.demo.time");
    }
}
