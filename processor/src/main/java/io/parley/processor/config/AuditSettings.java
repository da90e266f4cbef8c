package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import io.parley.processor.audit.AuditTrail;
import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.AuditSection;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import java.util.Optional;

/**
 * The {@code audit:} section of processor.yaml. Message text is always redacted; user ids are
 * replaced by a keyed hash when {@code pseudonymizeUsers} is on.
 *
 * @param pseudonymizeUsers whether {@code userRef} is HMAC-SHA256(key, user id) instead of the user id ({@code false})
 * @param pseudonymKey the HMAC key; required when pseudonymising; write it as {@code ${env:NAME}} or {@code ${file:...}}
 */
public record AuditSettings(boolean pseudonymizeUsers, Optional<Secret> pseudonymKey) {

    public static final AuditSettings DEFAULTS = new AuditSettings(false, Optional.empty());

    /** The keys of the section, for the unknown-key check and the configuration reference (shared with the gateway). */
    public static final ConfigKeys KEYS = AuditSection.KEYS;

    public AuditSettings {
        if (pseudonymizeUsers && pseudonymKey.isEmpty()) {
            throw new IllegalArgumentException("pseudonymizeUsers needs a pseudonymKey");
        }
    }

    public static AuditSettings pseudonymized(Secret key) {
        return new AuditSettings(true, Optional.of(key));
    }

    static AuditSettings read(ConfigSection section, ConfigVariables variables) {
        AuditSection read = AuditSection.read(section, variables);
        return new AuditSettings(read.pseudonymizeUsers(), read.pseudonymKey());
    }

    /** The audit trail these settings describe. */
    public AuditTrail trail() {
        return new AuditTrail(new Redactor(), new AuditSection(pseudonymizeUsers, pseudonymKey).users());
    }
}
