package io.parley.runtime.config;

import io.parley.runtime.ConfigVariables;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The {@code kafka:} section of processor.yaml, worker.yaml, gateway.yaml, bridge.yaml and
 * analytics.yaml, defined once: Kafka client properties passed through as written
 * ({@code bootstrap.servers}, {@code security.protocol}, {@code ssl.*}, {@code sasl.*},
 * {@code config.providers}, tuning), with the checks every service makes.
 *
 * <pre>
 * kafka:
 *   bootstrap.servers: kafka-1:9092,kafka-2:9092   # required
 *   security.protocol: SASL_SSL                    # PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL
 *   sasl.mechanism: SCRAM-SHA-512
 *   sasl.jaas.config: ${file:/etc/parley/kafka.properties:jaas}
 * </pre>
 *
 * <p>{@link #toString()} never shows values of keys that may hold credentials.
 *
 * @param properties the client properties, in file order
 */
public record KafkaSettings(Map<String, String> properties) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SECURITY_PROTOCOL = "security.protocol";

    /** Parts of property names whose values are credentials (sasl.jaas.config, ssl.key.password, ...). */
    private static final Set<String> SECRET_PARTS = Set.of("password", "jaas", "secret", "credentials", "token");

    public KafkaSettings {
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * Reads the section {@code key} of {@code parent} as written ({@code ${...}} references are left to
     * Kafka's own config providers); {@code security.protocol}, when set, must name a protocol.
     */
    public static KafkaSettings read(ConfigSection parent, String key) {
        KafkaSettings settings = new KafkaSettings(parent.stringMap(key));
        settings.checkSecurityProtocol(parent, key);
        return settings;
    }

    /**
     * Reads the section with {@code ${env:...}}, {@code ${file:...}} references resolved here (the
     * gateway and the bridge), each error naming {@code file: kafka.<property>}.
     */
    public static KafkaSettings read(ConfigSection parent, String key, ConfigVariables variables) {
        Map<String, String> resolved = new LinkedHashMap<>();
        parent.stringMap(key).forEach((name, value) ->
                resolved.put(name, variables.resolve(parent.where(key) + "." + name, value)));
        KafkaSettings settings = new KafkaSettings(resolved);
        settings.checkSecurityProtocol(parent, key);
        return settings;
    }

    /**
     * Fails unless {@code bootstrap.servers} is set.
     *
     * @throws ConfigException {@code file: kafka.bootstrap.servers: is required; ...}
     */
    public KafkaSettings requireBootstrapServers(ConfigSection parent, String key) {
        String servers = properties.get(BOOTSTRAP_SERVERS);
        if (servers == null || servers.isBlank()) {
            throw parent.error(key + "." + BOOTSTRAP_SERVERS, "is required; the Kafka cluster to connect to (host:9092,...)");
        }
        return this;
    }

    /** The protocol to the brokers ({@code PLAINTEXT} unless set). */
    public SecurityProtocol securityProtocol() {
        String name = properties.get(SECURITY_PROTOCOL);
        return name == null ? SecurityProtocol.PLAINTEXT : SecurityProtocol.forName(name.trim().toUpperCase(Locale.ROOT));
    }

    /** Whether the connection to the brokers is encrypted (SSL, SASL_SSL). */
    public boolean encrypted() {
        SecurityProtocol protocol = securityProtocol();
        return protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
    }

    /** The properties as a Kafka client takes them. */
    public Map<String, Object> clientProperties() {
        return new LinkedHashMap<>(properties);
    }

    /** The properties, values of credential-bearing keys replaced by {@code [hidden]}. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach((name, value) -> shown.put(name, isSecret(name) ? "[hidden]" : value));
        return "KafkaSettings" + shown;
    }

    static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return SECRET_PARTS.stream().anyMatch(lower::contains);
    }

    private void checkSecurityProtocol(ConfigSection parent, String key) {
        String name = properties.get(SECURITY_PROTOCOL);
        if (name == null || name.contains("${")) {
            return; // left to Kafka's config providers
        }
        try {
            securityProtocol();
        } catch (IllegalArgumentException e) {
            throw parent.error(key + "." + SECURITY_PROTOCOL, "'" + name + "' is not one of " + SecurityProtocol.names());
        }
    }
}
