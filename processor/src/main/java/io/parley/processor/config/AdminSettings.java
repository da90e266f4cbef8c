package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import java.util.Optional;

/**
 * The {@code admin:} section of processor.yaml: the HTTP endpoint with metrics, health and the session lookup.
 *
 * @param host the address to bind ({@code 127.0.0.1}; {@code 0.0.0.0} in containers)
 * @param port the port ({@code 8085}; {@code 0} picks a free one)
 * @param sessionToken the bearer token {@code /sessions/{id}} requires; without one the lookup is off
 */
public record AdminSettings(String host, int port, Optional<Secret> sessionToken) {

    public static final AdminSettings DEFAULTS = new AdminSettings("127.0.0.1", 8085, Optional.empty());

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("admin", "The admin endpoint: /metrics, /health/*, session lookup")
            .key("host", "host", "127.0.0.1", "address of the admin endpoint (0.0.0.0 in containers)")
            .key("port", "integer 0-65535", "8085", "its port; 0 picks a free one")
            .key("sessionToken", "secret", "none (lookup off)", "bearer token for /sessions/{conversationId}, at least 16 characters");

    static AdminSettings read(ConfigSection section, ConfigVariables variables) {
        String host = section.string("host", DEFAULTS.host());
        int port = section.intValue("port", DEFAULTS.port(), 0, 65_535);
        Optional<Secret> token = section.string("sessionToken")
                .map(value -> variables.resolveSecret(section.where("sessionToken"), value));
        section.allowOnly(KEYS);
        if (token.isPresent() && token.get().reveal().length() < 16) {
            throw section.error("sessionToken", "is too short; use at least 16 characters of random text");
        }
        return new AdminSettings(host, port, token);
    }

    public AdminSettings withPort(int newPort) {
        return new AdminSettings(host, newPort, sessionToken);
    }

    public AdminSettings withSessionToken(Secret token) {
        return new AdminSettings(host, port, Optional.of(token));
    }
}
