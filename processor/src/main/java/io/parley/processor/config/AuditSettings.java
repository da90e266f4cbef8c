package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import io.parley.processor.audit.AuditMode;
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
 * @param mode one TURN record per turn ({@code turn}, the default) or one record per step ({@code detailed})
 * @param maxTurnSteps the most steps one TURN record holds; a longer turn is written as several ({@value #DEFAULT_MAX_TURN_STEPS})
 */
public record AuditSettings(boolean pseudonymizeUsers, Optional<Secret> pseudonymKey, AuditMode mode, int maxTurnSteps) {

    /** The most steps a TURN record holds unless configured. */
    public static final int DEFAULT_MAX_TURN_STEPS = 32;

    public static final AuditSettings DEFAULTS = new AuditSettings(false, Optional.empty());

    /** The keys of the section, for the unknown-key check and the configuration reference (the gateway's plus mode). */
    public static final ConfigKeys KEYS = processorKeys();

    private static ConfigKeys processorKeys() {
        ConfigKeys keys = ConfigKeys.section(AuditSection.KEYS.path(), AuditSection.KEYS.description());
        AuditSection.KEYS.keys().forEach(key -> keys.key(key.name(), key.type(), key.defaultValue(), key.description()));
        return keys
                .key("mode", "turn|detailed", "turn", "turn: one TURN record per turn carrying its steps in order; "
                        + "detailed: one record per step (INBOUND, INTENT, BACKEND_REQUEST, BACKEND_RESPONSE, REPLY, ...)")
                .key("maxTurnSteps", "int", String.valueOf(DEFAULT_MAX_TURN_STEPS), "the most steps one TURN record holds "
                        + "(kept in the session until the turn ends); a longer turn is written as several TURN records");
    }

    public AuditSettings {
        if (pseudonymizeUsers && pseudonymKey.isEmpty()) {
            throw new IllegalArgumentException("pseudonymizeUsers needs a pseudonymKey");
        }
        if (maxTurnSteps < 1) {
            throw new IllegalArgumentException("maxTurnSteps must be at least 1");
        }
    }

    public AuditSettings(boolean pseudonymizeUsers, Optional<Secret> pseudonymKey) {
        this(pseudonymizeUsers, pseudonymKey, AuditMode.TURN, DEFAULT_MAX_TURN_STEPS);
    }

    public static AuditSettings pseudonymized(Secret key) {
        return new AuditSettings(true, Optional.of(key));
    }

    /** The same settings writing the audit stream in {@code mode}. */
    public AuditSettings withMode(AuditMode newMode) {
        return new AuditSettings(pseudonymizeUsers, pseudonymKey, newMode, maxTurnSteps);
    }

    static AuditSettings read(ConfigSection section, ConfigVariables variables) {
        AuditMode mode = section.enumValue("mode", AuditMode.class, AuditMode.TURN);
        int maxTurnSteps = section.intValue("maxTurnSteps", DEFAULT_MAX_TURN_STEPS, 1, 1_000);
        AuditSection read = AuditSection.read(section, variables, KEYS);
        return new AuditSettings(read.pseudonymizeUsers(), read.pseudonymKey(), mode, maxTurnSteps);
    }

    /** The audit trail these settings describe. */
    public AuditTrail trail() {
        return new AuditTrail(new Redactor(), new AuditSection(pseudonymizeUsers, pseudonymKey).users())
                .withMode(mode, maxTurnSteps);
    }
}
