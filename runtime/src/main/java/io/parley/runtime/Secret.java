package io.parley.runtime;

import java.util.Objects;

/**
 * A secret value (token, password, key) that never shows itself: {@link #toString()} hides it,
 * so a secret logged or put in an exception message by mistake stays hidden.
 */
public final class Secret {

    private static final String HIDDEN = "[hidden]";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret itself; call it only where the secret is used. */
    public String reveal() {
        return value;
    }

    /** Whether this secret's value equals {@code candidate}, in time independent of where they differ. */
    public boolean matches(String candidate) {
        return candidate != null && java.security.MessageDigest.isEqual(
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return HIDDEN;
    }
}
