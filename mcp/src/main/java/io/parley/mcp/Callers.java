package io.parley.mcp;

import io.parley.runtime.Secret;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call tools: callers with a static bearer token (a secret from a config provider) and the
 * user its calls are made for, and/or callers with a signed JWT that names its user in a claim. The
 * user a call is made for comes from here only, never from tool arguments.
 */
public final class Callers {

    private static final Logger LOG = LoggerFactory.getLogger(Callers.class);

    /** One caller with a static token. */
    public record Caller(String user, Secret token) {
    }

    /** An authenticated caller: its user and how it proved it ({@code token} or {@code jwt}). */
    public record Identity(String user, String method) {
    }

    private final List<Caller> callers;
    private final Optional<JwtCallers> jwt;

    public Callers(List<Caller> callers) {
        this(callers, Optional.empty());
    }

    public Callers(List<Caller> callers, Optional<JwtCallers> jwt) {
        this.callers = List.copyOf(callers);
        this.jwt = jwt;
    }

    /** The user of an {@code Authorization} header; empty without one, or for a token nobody here accepts. */
    public Optional<String> user(String authorization) {
        return identify(authorization).map(Identity::user);
    }

    /** The caller of an {@code Authorization} header; empty without one, or for a token nobody here accepts. */
    public Optional<Identity> identify(String authorization) {
        return authenticate(authorization).identity();
    }

    /**
     * The caller of an {@code Authorization} header, or why there is none. A JWT-shaped token is verified when JWT
     * callers are configured; any other token is compared with every static token (in constant time), so the
     * answer's timing does not tell which one is close.
     */
    public Authentication authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Authentication.refused("no bearer token");
        }
        String token = authorization.substring(7).strip();
        if (token.isEmpty()) {
            return Authentication.refused("no bearer token");
        }
        if (jwt.isPresent() && JwtCallers.looksLikeJwt(token)) {
            JwtCallers.Verdict verdict = jwt.get().verify(token);
            if (verdict.user().isEmpty()) {
                LOG.warn("MCP caller refused: its JWT is {}", verdict.reason());
                return Authentication.refused("JWT " + verdict.reason());
            }
            return new Authentication(verdict.user().map(user -> new Identity(user, "jwt")), "verified");
        }
        Optional<String> found = Optional.empty();
        for (Caller caller : callers) {
            if (caller.token().matches(token) && found.isEmpty()) {
                found = Optional.of(caller.user());
            }
        }
        return found.map(user -> new Authentication(Optional.of(new Identity(user, "token")), "known token"))
                .orElseGet(() -> Authentication.refused("unknown token"));
    }

    /** An authenticated caller, or none and why (a reason that never quotes the token or its claims). */
    public record Authentication(Optional<Identity> identity, String reason) {
        static Authentication refused(String reason) {
            return new Authentication(Optional.empty(), reason);
        }
    }
}
