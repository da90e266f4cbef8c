package io.parley.gateway.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * The user a verified token names. The gateway takes {@code userId} only from here, never from
 * what the browser sends.
 *
 * @param userId the token's subject
 * @param expiresAt when the token stops being valid
 */
public record VerifiedUser(String userId, Instant expiresAt) {

    public VerifiedUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
