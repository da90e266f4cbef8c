package io.parley.worker.config;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import java.util.Optional;

/**
 * Reads secret settings (tokens, passwords, keys). A secret must be a config-provider reference
 * ({@code ${env:NAME}}, {@code ${file:/path/secrets.properties:key}}, {@code ${directory:/dir:file}}):
 * a secret written into the file itself is refused, so it cannot end up in a repository.
 */
public final class SecretFields {

    private SecretFields() {
    }

    public static Secret required(ConfigNode node, String key, ConfigVariables variables) {
        return optional(node, key, variables).orElseThrow(() -> node.error(key, "is required"));
    }

    public static Optional<Secret> optional(ConfigNode node, String key, ConfigVariables variables) {
        Optional<String> text = node.string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!ConfigVariables.hasReference(text.get())) {
            // The value is not echoed: it may be the very secret that must not be written here.
            throw node.error(key, "a secret must come from a config provider, e.g. ${env:NAME} or "
                    + "${file:/path/secrets.properties:key}; it is never written in the file itself");
        }
        return Optional.of(variables.resolveSecret(node.where(key), text.get()));
    }

    /** A setting that may be a reference or plain text (a user name), resolved. */
    public static Optional<String> plainOrReference(ConfigNode node, String key, ConfigVariables variables) {
        return node.string(key).map(text -> variables.resolve(node.where(key), text));
    }
}
