package io.parley.processor.config;

import io.parley.processor.encryption.KeyRing;
import io.parley.processor.encryption.SessionSealing;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code encryption:} section of processor.yaml: encryption at rest of the personal parts of
 * session values (the {@code sessions} store in RocksDB and its changelog topic).
 *
 * <pre>
 * encryption:
 *   enabled: true                     # false (default): new values are written in clear
 *   currentKey: k2                    # the key new values are sealed with
 *   keys:                             # key id: base64 of a 256-bit AES key; old ids stay as decrypt-only
 *     k1: ${file:/etc/parley/session-keys.properties:k1}
 *     k2: ${file:/etc/parley/session-keys.properties:k2}
 * </pre>
 *
 * Keys that are not {@code currentKey} are decrypt-only: values sealed with them stay readable and
 * are sealed again with the current key the next time their conversation is written. With
 * {@code enabled: false} and keys listed, sealed values are still read and new ones written in clear
 * (how encryption is turned off without losing sessions).
 *
 * @param enabled whether new session values are sealed
 * @param currentKey the id of the key new values are sealed with (required when enabled)
 * @param keys the key-encryption keys by id, base64 of 16, 24 or 32 bytes
 */
public record EncryptionSettings(boolean enabled, Optional<String> currentKey, Map<String, Secret> keys) {

    public static final EncryptionSettings DEFAULTS = new EncryptionSettings(false, Optional.empty(), Map.of());

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("encryption", "Encryption at rest of session values (the sessions store and its changelog)")
            .key("enabled", "boolean", "false", "seal new session values; false writes them in clear (values already sealed stay readable)")
            .key("currentKey", "string", "none", "the id in keys that seals new values; required when enabled")
            .key("keys", "mapping of key id to secret", "{}", "base64 of a 16, 24 or 32-byte AES key (32 recommended); ids other than currentKey are decrypt-only");

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public EncryptionSettings {
        keys = Map.copyOf(keys);
        if (enabled && currentKey.isEmpty()) {
            throw new IllegalArgumentException("encryption needs a currentKey");
        }
        if (currentKey.isPresent() && !keys.containsKey(currentKey.get())) {
            throw new IllegalArgumentException("encryption.currentKey '" + currentKey.get() + "' is not one of encryption.keys " + keys.keySet());
        }
    }

    /** Encryption on, sealing new values with {@code currentKey}; every key in {@code keys} can open values. */
    public static EncryptionSettings sealingWith(String currentKey, Map<String, Secret> keys) {
        return new EncryptionSettings(true, Optional.of(currentKey), keys);
    }

    static EncryptionSettings read(ConfigSection section, ConfigVariables variables) {
        boolean enabled = section.bool("enabled", false);
        Optional<String> current = section.string("currentKey");
        ConfigSection keySection = section.section("keys");
        Map<String, Secret> keys = new LinkedHashMap<>();
        section.stringMap("keys").forEach((id, value) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw keySection.error(id, "is not a usable key id; use 1 to 64 letters, digits, '.', '_' or '-'");
            }
            Secret key = variables.resolveSecret(keySection.where(id), value);
            keyBytes(keySection, id, key);
            keys.put(id, key);
        });
        section.allowOnly(KEYS);
        if (enabled && current.isEmpty()) {
            throw section.error("currentKey", "is required when enabled is true: name the key of 'keys' that seals new values");
        }
        if (current.isPresent() && !keys.containsKey(current.get())) {
            throw section.error("currentKey", "'" + current.get() + "' is not one of the keys listed under keys " + keys.keySet());
        }
        return new EncryptionSettings(enabled, enabled ? current : Optional.empty(), keys);
    }

    /** What the sessions store's serde does with these settings: nothing when no key is configured. */
    public SessionSealing sealing() {
        if (keys.isEmpty()) {
            return SessionSealing.off();
        }
        Map<String, byte[]> material = new LinkedHashMap<>();
        keys.forEach((id, key) -> material.put(id, Base64.getDecoder().decode(key.reveal().trim())));
        return SessionSealing.with(new KeyRing(enabled ? currentKey : Optional.empty(), material));
    }

    private static void keyBytes(ConfigSection keys, String id, Secret key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(key.reveal().trim());
        } catch (IllegalArgumentException e) {
            // The value is never echoed: it is a key
            throw keys.error(id, "is not base64; give the key as the base64 of 32 random bytes (openssl rand -base64 32)");
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw keys.error(id, "is " + bytes.length + " bytes long; an AES key is 16, 24 or 32 bytes (32 recommended: openssl rand -base64 32)");
        }
    }
}
