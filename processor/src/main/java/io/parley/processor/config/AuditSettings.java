package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import io.parley.processor.audit.AuditTrail;
import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.UserReferences;
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

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("audit", "The audit stream (chat.audit)")
            .key("pseudonymizeUsers", "boolean", "false", "userRef = hex HMAC-SHA256(pseudonymKey, user id) instead of the user id")
            .key("pseudonymKey", "secret", "none", "the HMAC key, at least 16 characters; required when pseudonymising");

    public AuditSettings {
        if (pseudonymizeUsers && pseudonymKey.isEmpty()) {
            throw new IllegalArgumentException("pseudonymizeUsers needs a pseudonymKey");
        }
    }

    public static AuditSettings pseudonymized(Secret key) {
        return new AuditSettings(true, Optional.of(key));
    }

    static AuditSettings read(ConfigSection section, ConfigVariables variables) {
        boolean pseudonymize = section.bool("pseudonymizeUsers", false);
        Optional<Secret> key = section.string("pseudonymKey")
                .map(value -> variables.resolveSecret(section.where("pseudonymKey"), value));
        section.allowOnly(KEYS);
        if (pseudonymize && key.isEmpty()) {
            throw section.error("pseudonymKey", "is required when pseudonymizeUsers is true (for example ${env:PARLEY_AUDIT_KEY})");
        }
        if (key.isPresent() && key.get().reveal().length() < 16) {
            throw section.error("pseudonymKey", "is too short; use at least 16 characters of random text");
        }
        return new AuditSettings(pseudonymize, key);
    }

    /** The audit trail these settings describe. */
    public AuditTrail trail() {
        UserReferences users = pseudonymizeUsers ? UserReferences.pseudonymised(pseudonymKey.orElseThrow()) : UserReferences.plain();
        return new AuditTrail(new Redactor(), users);
    }
}
