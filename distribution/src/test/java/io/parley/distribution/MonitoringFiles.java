package io.parley.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The PromQL expressions of the dashboards and alert rules shipped under deploy/, by where they are. */
final class MonitoringFiles {

    static final Path DEPLOY = Path.of(System.getProperty("parley.deploy", "../deploy"));
    static final Path DASHBOARD = DEPLOY.resolve("grafana/parley-dashboard.json");
    static final Path ALERTS = DEPLOY.resolve("prometheus/parley-alerts.yaml");

    private MonitoringFiles() {
    }

    /** "panel title [refId]" → expression, for every query of the dashboard. */
    static Map<String, String> dashboardQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : read(new ObjectMapper(), DASHBOARD).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " [" + target.path("refId").asText() + "]", target.path("expr").asText());
            }
        }
        return queries;
    }

    /** Alert name → expression, for every rule. */
    static Map<String, String> alertExpressions() {
        Map<String, String> rules = new LinkedHashMap<>();
        for (JsonNode group : read(new ObjectMapper(new YAMLFactory()), ALERTS).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.put(rule.path("alert").asText(rule.path("record").asText()), rule.path("expr").asText());
            }
        }
        return rules;
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
