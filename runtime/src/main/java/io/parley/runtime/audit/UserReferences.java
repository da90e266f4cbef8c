package io.parley.runtime.audit;

import io.parley.runtime.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the audit stream refers to users: by their id, or — when pseudonymisation is on — by a
 * keyed hash of it (HMAC-SHA256, hex). The same user always gets the same reference, so analytics
 * can count per user, but without the key nobody can tell who it is or test a guess.
 */
public final class UserReferences {

    private static final String ALGORITHM = "HmacSHA256";

    private final Optional<SecretKeySpec> key;

    private UserReferences(Optional<SecretKeySpec> key) {
        this.key = key;
    }

    /** User ids as they are. */
    public static UserReferences plain() {
        return new UserReferences(Optional.empty());
    }

    /** Keyed hashes of user ids. */
    public static UserReferences pseudonymised(Secret key) {
        return new UserReferences(Optional.of(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM)));
    }

    public boolean pseudonymising() {
        return key.isPresent();
    }

    /** The reference of a user id. */
    public String of(String userId) {
        if (key.isEmpty()) {
            return userId;
        }
        try {
            // A Mac is not thread-safe and cheap to create; stream threads share this object.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key.get());
            return HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
