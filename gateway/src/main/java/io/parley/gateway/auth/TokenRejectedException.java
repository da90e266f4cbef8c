package io.parley.gateway.auth;

/**
 * A user token the gateway refuses. The message is safe to show to the browser (it is sent as the
 * WebSocket close reason): it says why, never echoes the token or its claims.
 */
public final class TokenRejectedException extends Exception {

    public TokenRejectedException(String reason) {
        super(reason);
    }
}
