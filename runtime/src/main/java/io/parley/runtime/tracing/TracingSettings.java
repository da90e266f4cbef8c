package io.parley.runtime.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import java.net.URI;
import java.util.Objects;
import java.util.TreeSet;
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

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("tracing", "OpenTelemetry spans, exported by OTLP/HTTP; off by default")
            .key("enabled", "boolean", "false", "record spans and export them")
            .key("otlpEndpoint", "http(s) URL", DEFAULT_ENDPOINT.toString(), "the OTLP/HTTP receiver; spans go to <endpoint>/v1/traces")
            .key("sampleRatio", "number 0.0-1.0", "1.0", "share of new traces recorded (a caller's decision is followed)")
            .key("serviceName", "name", "parley-<service>", "the service.name of the spans");

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
        return read(ConfigSection.of(file, path, node), defaultServiceName);
    }

    /**
     * Reads the section.
     *
     * @param section the {@code tracing:} section (empty: all defaults, tracing off)
     * @param defaultServiceName the service name when none is given
     * @throws ConfigException naming the file, the entry and the field ({@code worker.yaml: tracing.sampleRatio: ...})
     */
    public static TracingSettings read(ConfigSection section, String defaultServiceName) {
        if (section.keys().isEmpty()) {
            return off(defaultServiceName);
        }
        section.allowOnly(new TreeSet<>(KEYS.names()));
        boolean enabled = section.bool("enabled", false);
        URI endpoint = section.has("otlpEndpoint") ? endpoint(section, "otlpEndpoint") : DEFAULT_ENDPOINT;
        double ratio = section.doubleValue("sampleRatio", DEFAULT_SAMPLE_RATIO, 0.0, 1.0);
        String serviceName = section.has("serviceName") ? serviceName(section, "serviceName") : defaultServiceName;
        return new TracingSettings(enabled, endpoint, ratio, serviceName);
    }

    private static URI endpoint(ConfigSection section, String key) {
        JsonNode value = section.raw(key);
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
            throw section.error(key, "is not an http(s) URL of an OTLP/HTTP receiver "
                    + "without user info, query or fragment (for example http://127.0.0.1:4318)");
        }
    }

    private static String serviceName(ConfigSection section, String key) {
        JsonNode value = section.raw(key);
        String text = value.isValueNode() ? value.asText().trim() : "";
        if (!SERVICE_NAME.matcher(text).matches()) {
            throw section.error(key, quoted(value)
                    + " is not a service name; use 1 to 100 of letters, digits, '.', '_' and '-'");
        }
        return text;
    }

    private static String quoted(JsonNode value) {
        return value.isContainerNode() ? "a " + (value.isArray() ? "list" : "mapping") : "'" + value.asText() + "'";
    }
}
