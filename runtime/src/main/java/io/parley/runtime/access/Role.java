package io.parley.runtime.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a person may do at the admin endpoints and the console. Each role has everything of the
 * roles before it: a {@link #VIEWER} sees metrics, health, redacted transcripts, flow pictures and
 * connector health; an {@link #OPERATOR} also reads sessions in clear, erases a user's data and
 * replays dead letters.
 */
public enum Role {
    VIEWER,
    OPERATOR;

    /** Whether this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }

    /** The role as configuration files write it ({@code viewer}, {@code operator}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} (any case), if there is one. */
    public static Optional<Role> parse(String text) {
        for (Role role : values()) {
            if (role.label().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
