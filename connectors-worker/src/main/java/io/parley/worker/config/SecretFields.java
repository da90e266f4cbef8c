package io.parley.worker.config;

import io.parley.runtime.config.ConfigSection;

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

    public static Secret required(ConfigSection node, String key, ConfigVariables variables) {
        return optional(node, key, variables).orElseThrow(() -> node.error(key, "is required"));
    }

    public static Optional<Secret> optional(ConfigSection node, String key, ConfigVariables variables) {
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

    /**
     * A secret sent as an HTTP header value (an API key, a bearer token): it must be one line of
     * printable text, or every call would fail at the HTTP client; refused at start instead.
     */
    public static Secret headerValue(ConfigSection node, String key, ConfigVariables variables) {
        Secret secret = required(node, key, variables);
        requireHeaderText(node, key, secret);
        return secret;
    }

    /** Refuses a resolved header value with a control character (CR, LF, NUL...), without showing it. */
    public static void requireHeaderText(ConfigSection node, String key, Secret value) {
        if (value.reveal().chars().anyMatch(c -> c != '\t' && Character.isISOControl(c))) {
            throw node.error(key, "the value holds a control character (a line break?) once resolved; a header value"
                    + " must be one line of text (a secret file may end with one line break, no more)");
        }
    }

    /** A setting that may be a reference or plain text (a user name), resolved. */
    public static Optional<String> plainOrReference(ConfigSection node, String key, ConfigVariables variables) {
        return node.string(key).map(text -> variables.resolve(node.where(key), text));
    }
}
