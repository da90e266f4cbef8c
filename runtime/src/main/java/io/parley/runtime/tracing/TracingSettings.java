package io.parley.runtime.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code tracing:} section, the same in processor.yaml, worker.yaml and gateway.yaml, defined
 * here once. Off by default; then nothing is exported and no span is recorded.
 *
 * <pre>
 * tracing:
 *   enabled: false                        # true: record spans and export them by OTLP/HTTP
 *   otlpEndpoint: http://127.0.0.1:4318   # the collector (Jaeger, Tempo, an OpenTelemetry Collector)
 *   sampleRatio: 1.0                      # share of new traces recorded, 0.0 to 1.0
 *   serviceName: parley-processor         # service.name of the spans
 * </pre>
 *
 * @param enabled whether spans are recorded and exported
 * @param otlpEndpoint base URL of an OTLP/HTTP receiver; spans go to {@code <endpoint>/v1/traces}
 * @param sampleRatio share of traces started here that are recorded (a caller's decision is followed)
 * @param serviceName the {@code service.name} resource attribute
 */
public record TracingSettings(boolean enabled, URI otlpEndpoint, double sampleRatio, String serviceName) {

    public static final URI DEFAULT_ENDPOINT = URI.create("http://127.0.0.1:4318");
    public static final double DEFAULT_SAMPLE_RATIO = 1.0;

    private static final Set<String> KEYS = Set.of("enabled", "otlpEndpoint", "sampleRatio", "serviceName");
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public TracingSettings {
        Objects.requireNonNull(otlpEndpoint, "otlpEndpoint");
        Objects.requireNonNull(serviceName, "serviceName");
    }

    /** Tracing off, as when the section is left out. */
    public static TracingSettings off(String serviceName) {
        return new TracingSettings(false, DEFAULT_ENDPOINT, DEFAULT_SAMPLE_RATIO, serviceName);
    }

    /** The same settings, switched on. */
    public TracingSettings on() {
        return new TracingSettings(true, otlpEndpoint, sampleRatio, serviceName);
    }

    /**
     * Reads the section.
     *
     * @param file the file name used in messages ({@code processor.yaml})
     * @param path the section's path in the file ({@code tracing})
     * @param node the section; missing or null means all defaults
     * @param defaultServiceName the service name when none is given
     * @throws ConfigException naming the file, the entry and the field ({@code worker.yaml: tracing.sampleRatio: ...})
     */
    public static TracingSettings read(String file, String path, JsonNode node, String defaultServiceName) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return off(defaultServiceName);
        }
        if (!node.isObject()) {
            throw new ConfigException(file + ": " + path + ": must be a mapping of keys to values");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new ConfigException(file + ": " + path + "." + name + ": unknown key; known keys here are "
                        + KEYS.stream().sorted().toList());
            }
        }
        boolean enabled = bool(file, path + ".enabled", node.get("enabled"));
        URI endpoint = endpoint(file, path + ".otlpEndpoint", node.get("otlpEndpoint"));
        double ratio = ratio(file, path + ".sampleRatio", node.get("sampleRatio"));
        String serviceName = serviceName(file, path + ".serviceName", node.get("serviceName"), defaultServiceName);
        return new TracingSettings(enabled, endpoint, ratio, serviceName);
    }

    private static boolean bool(String file, String where, JsonNode value) {
        if (absent(value)) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.asText().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(file + ": " + where + ": " + quoted(value) + " is not true or false");
    }

    private static URI endpoint(String file, String where, JsonNode value) {
        if (absent(value)) {
            return DEFAULT_ENDPOINT;
        }
        String text = value.isValueNode() ? value.asText().trim() : "";
        try {
            URI uri = new URI(text);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (!web || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new IllegalArgumentException();
            }
            String base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            return URI.create(base);
        } catch (Exception e) {
            // The value is not echoed: a mistyped URL may carry credentials.
            throw new ConfigException(file + ": " + where + ": is not an http(s) URL of an OTLP/HTTP receiver "
                    + "without user info, query or fragment (for example http://127.0.0.1:4318)");
        }
    }

    private static double ratio(String file, String where, JsonNode value) {
        if (absent(value)) {
            return DEFAULT_SAMPLE_RATIO;
        }
        double parsed;
        try {
            parsed = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(file + ": " + where + ": " + quoted(value) + " is not a number");
        }
        if (!(parsed >= 0.0 && parsed <= 1.0)) {
            throw new ConfigException(file + ": " + where + ": " + parsed + " is out of range; allowed are 0.0 to 1.0");
        }
        return parsed;
    }

    private static String serviceName(String file, String where, JsonNode value, String defaultName) {
        if (absent(value)) {
            return defaultName;
        }
        String text = value.isValueNode() ? value.asText().trim() : "";
        if (!SERVICE_NAME.matcher(text).matches()) {
            throw new ConfigException(file + ": " + where + ": " + quoted(value)
                    + " is not a service name; use 1 to 100 of letters, digits, '.', '_' and '-'");
        }
        return text;
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull();
    }

    private static String quoted(JsonNode value) {
        return value.isContainerNode() ? "a " + (value.isArray() ? "list" : "mapping") : "'" + value.asText() + "'";
    }
}
