package io.parley.runtime.audit;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import java.util.Optional;

/**
 * The {@code audit:} section every service that writes to the audit stream reads the same way (the
 * processor's processor.yaml, the gateway's gateway.yaml): whether users are referred to by a keyed hash
 * of their id, and the key. Give the services the same key, or the same user gets two references.
 *
 * @param pseudonymizeUsers whether {@code userRef} is HMAC-SHA256(key, user id) instead of the user id ({@code false})
 * @param pseudonymKey the HMAC key; required when pseudonymising; write it as {@code ${env:NAME}} or {@code ${file:...}}
 */
public record AuditSection(boolean pseudonymizeUsers, Optional<Secret> pseudonymKey) {

    /** Users in clear. */
    public static final AuditSection DEFAULTS = new AuditSection(false, Optional.empty());

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("audit", "The audit stream (chat.audit)")
            .key("pseudonymizeUsers", "boolean", "false", "userRef = hex HMAC-SHA256(pseudonymKey, user id) instead of the user id")
            .key("pseudonymKey", "secret", "none", "the HMAC key, at least 16 characters; required when pseudonymising");

    public AuditSection {
        if (pseudonymizeUsers && pseudonymKey.isEmpty()) {
            throw new IllegalArgumentException("pseudonymizeUsers needs a pseudonymKey");
        }
    }

    public static AuditSection pseudonymized(Secret key) {
        return new AuditSection(true, Optional.of(key));
    }

    /** Reads the section; an error names the file, the section and the key. */
    public static AuditSection read(ConfigSection section, ConfigVariables variables) {
        return read(section, variables, KEYS);
    }

    /**
     * Reads the section of a service that declares more keys in it than {@link #KEYS} (the processor's
     * {@code mode}); {@code allowed} must include {@link #KEYS}' keys.
     */
    public static AuditSection read(ConfigSection section, ConfigVariables variables, ConfigKeys allowed) {
        boolean pseudonymize = section.bool("pseudonymizeUsers", false);
        Optional<Secret> key = section.string("pseudonymKey")
                .map(value -> variables.resolveSecret(section.where("pseudonymKey"), value));
        section.allowOnly(allowed);
        if (pseudonymize && key.isEmpty()) {
            throw section.error("pseudonymKey", "is required when pseudonymizeUsers is true (for example ${env:PARLEY_AUDIT_KEY})");
        }
        if (key.isPresent() && key.get().reveal().length() < 16) {
            throw section.error("pseudonymKey", "is too short; use at least 16 characters of random text");
        }
        return new AuditSection(pseudonymize, key);
    }

    /** How these settings refer to users. */
    public UserReferences users() {
        return pseudonymizeUsers ? UserReferences.pseudonymised(pseudonymKey.orElseThrow()) : UserReferences.plain();
    }
}
