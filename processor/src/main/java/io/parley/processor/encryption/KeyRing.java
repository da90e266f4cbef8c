package io.parley.processor.encryption;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys of session values: by id, one of them current (used to seal new values)
 * or none (values are read, new ones are written in clear). The others are decrypt-only.
 */
public final class KeyRing {

    private final Optional<String> current;
    private final Map<String, SecretKey> keys;

    /**
     * @param current the id of the key that seals new values, if any
     * @param keys raw AES keys (16, 24 or 32 bytes) by id
     */
    public KeyRing(Optional<String> current, Map<String, byte[]> keys) {
        Map<String, SecretKey> copy = new LinkedHashMap<>();
        keys.forEach((id, bytes) -> {
            if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
                throw new IllegalArgumentException("key '" + id + "' is " + bytes.length + " bytes; AES keys are 16, 24 or 32 bytes");
            }
            copy.put(id, new SecretKeySpec(bytes.clone(), "AES"));
        });
        current.ifPresent(id -> {
            if (!copy.containsKey(id)) {
                throw new IllegalArgumentException("current key '" + id + "' is not one of " + copy.keySet());
            }
        });
        this.current = current;
        this.keys = Map.copyOf(copy);
    }

    /** The id of the key that seals new values; empty when new values are written in clear. */
    public Optional<String> current() {
        return current;
    }

    Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    Set<String> ids() {
        return keys.keySet();
    }
}
