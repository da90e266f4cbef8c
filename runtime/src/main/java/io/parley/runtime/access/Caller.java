package io.parley.runtime.access;

import java.util.Objects;

/**
 * Who called, once the credential was verified: the configured token's name or the JWT's subject
 * (never the token itself), and the role it grants. Audit records name the caller by {@link #name()}.
 *
 * @param name the token's configured name, or {@code oidc:<subject>} for a JWT
 * @param role what the caller may do
 */
public record Caller(String name, Role role) {
    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    /** Whether the caller may do what {@code required} may. */
    public boolean may(Role required) {
        return role.includes(required);
    }
}
