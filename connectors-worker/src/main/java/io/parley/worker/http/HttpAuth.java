package io.parley.worker.http;

import io.parley.runtime.Secret;
import io.parley.worker.connector.AttemptContext;
import io.parley.worker.connector.AttemptFailedException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/** Adds a connector's credentials to its requests. */
public interface HttpAuth {

    /**
     * Adds credentials to a request about to be sent.
     *
     * @throws AttemptFailedException when credentials cannot be had (the token endpoint refused)
     */
    void authorize(HttpRequest.Builder request, AttemptContext context) throws AttemptFailedException, InterruptedException;

    /**
     * Called after the backend answered 401: forgets cached credentials and tells whether asking
     * again with fresh ones may help (only for fetched tokens; fixed credentials stay wrong).
     */
    default boolean refreshAfterUnauthorized() {
        return false;
    }

    /** The runtime form of a definition. */
    static HttpAuth of(AuthDefinition definition, GuardedClients clients, Clock clock, long maxResponseBytes) {
        if (definition instanceof AuthDefinition.ApiKey key) {
            return header(key.header(), key.value());
        }
        if (definition instanceof AuthDefinition.Bearer bearer) {
            return header("Authorization", Secret.of("Bearer " + bearer.token().reveal()));
        }
        if (definition instanceof AuthDefinition.Basic basic) {
            return header("Authorization", Secret.of("Basic " + Base64.getEncoder().encodeToString(
                    (basic.username() + ":" + basic.password().reveal()).getBytes(StandardCharsets.UTF_8))));
        }
        if (definition instanceof AuthDefinition.OAuth2 oauth) {
            return new OAuth2ClientCredentials(oauth, clients, clock, maxResponseBytes);
        }
        return (request, context) -> { };
    }

    private static HttpAuth header(String name, Secret value) {
        return (request, context) -> request.header(name, value.reveal());
    }
}
