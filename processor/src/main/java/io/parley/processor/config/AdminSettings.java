package io.parley.processor.config;

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

    static AdminSettings read(ConfigSection section, ConfigVariables variables) {
        String host = section.string("host", DEFAULTS.host());
        int port = section.intValue("port", DEFAULTS.port(), 0, 65_535);
        Optional<Secret> token = section.string("sessionToken")
                .map(value -> variables.resolveSecret(section.where("sessionToken"), value));
        section.rejectUnknownKeys();
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
