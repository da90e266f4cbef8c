package io.parley.worker.http;

import io.parley.runtime.config.ConfigSection;

import java.util.Locale;
import java.util.Set;

/** Checks header names written in connector files. */
final class HeaderNames {

    /** Set by the HTTP client itself, or by the worker (Idempotency-Key); a connector may not set them. */
    private static final Set<String> RESERVED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "idempotency-key", "content-type", "authorization");

    private HeaderNames() {
    }

    /** The header an API key goes in: any valid name but those the client sets itself. */
    static void requireAllowedForCredentials(ConfigSection node, String key, String name) {
        requireValid(node, key, name);
        if (!name.equalsIgnoreCase("authorization") && RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw node.error(key, "the header " + name + " is set by the worker");
        }
    }

    private static void requireValid(ConfigSection node, String key, String name) {
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw node.error(key, "'" + name + "' is not a valid header name");
        }
    }

    /** A header of the {@code headers:} section. */
    static void requireAllowed(ConfigSection node, String key, String name) {
        requireValid(node, key, name);
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw node.error(key, "the header " + name + " is set by the worker (use the auth section for credentials)");
        }
    }
}
