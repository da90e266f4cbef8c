package io.parley.mcp;

import io.parley.runtime.Secret;
import java.util.List;
import java.util.Optional;

/**
 * Who may call tools: each caller's bearer token (a secret from a config provider) and the user
 * its calls are made for. The user a call is made for comes from here only, never from tool arguments.
 */
public final class Callers {

    /** One caller. */
    public record Caller(String user, Secret token) {
    }

    private final List<Caller> callers;

    public Callers(List<Caller> callers) {
        this.callers = List.copyOf(callers);
    }

    /**
     * The user of an {@code Authorization} header; empty without one, or for an unknown token. Every
     * token is compared (in constant time), so the answer's timing does not tell which one is close.
     */
    public Optional<String> user(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).strip();
        Optional<String> found = Optional.empty();
        for (Caller caller : callers) {
            if (caller.token().matches(token) && found.isEmpty()) {
                found = Optional.of(caller.user());
            }
        }
        return found;
    }
}
