package io.parley.worker.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.runtime.Secret;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptContext;
import io.parley.worker.connector.AttemptFailedException;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.FailureClassifier;
import io.parley.worker.connector.JsonText;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * OAuth2 client credentials: fetches an access token from the token endpoint, keeps it until
 * shortly before it expires (by the injected clock), and forgets it when the backend answers 401
 * so that the next request fetches a fresh one. Concurrent requests share one fetch.
 */
final class OAuth2ClientCredentials implements HttpAuth {

    /** Tokens are renewed this long before they expire, so a request never leaves with a token about to die. */
    private static final Duration EARLY_RENEWAL = Duration.ofSeconds(30);
    /** Used when the token endpoint does not say how long a token lives. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private final AuthDefinition.OAuth2 definition;
    private final GuardedClients clients;
    private final Clock clock;
    private final long maxResponseBytes;
    private volatile Token token;

    OAuth2ClientCredentials(AuthDefinition.OAuth2 definition, GuardedClients clients, Clock clock, long maxResponseBytes) {
        this.definition = definition;
        this.clients = clients;
        this.clock = clock;
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public void authorize(HttpRequest.Builder request, AttemptContext context) throws AttemptFailedException, InterruptedException {
        request.header("Authorization", "Bearer " + validToken(context).value().reveal());
    }

    @Override
    public boolean refreshAfterUnauthorized() {
        token = null;
        return true;
    }

    private Token validToken(AttemptContext context) throws AttemptFailedException, InterruptedException {
        Token current = token;
        if (current != null && current.freshAt(clock.instant())) {
            return current;
        }
        synchronized (this) {
            current = token;
            if (current == null || !current.freshAt(clock.instant())) {
                current = fetch(context);
                token = current;
            }
            return current;
        }
    }

    private Token fetch(AttemptContext context) throws AttemptFailedException, InterruptedException {
        try {
            GuardedClients.Route route = clients.route(definition.tokenUrl().uri(), "token endpoint refused: ");
            HttpResponse<byte[]> response = route.client().sendAsync(tokenRequest(route, context.timeout()), new BoundedBody(maxResponseBytes))
                    .get(context.timeout().toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            if (status == 400 || status == 401 || status == 403) {
                throw new AttemptFailedException(Failure.permanent(BackendStatus.UNAUTHORIZED,
                        "the token endpoint refused the client credentials (HTTP " + status + ")"));
            }
            if (status < 200 || status > 299) {
                throw new AttemptFailedException(Failure.retriable(BackendStatus.SERVER_ERROR,
                        "the token endpoint answered HTTP " + status));
            }
            return parse(JsonText.read(response.body()));
        } catch (ExecutionException e) {
            throw new AttemptFailedException(FailureClassifier.classify(e.getCause()));
        } catch (TimeoutException e) {
            throw new AttemptFailedException(Failure.retriable(BackendStatus.TIMEOUT, "the token endpoint did not answer in time"));
        } catch (IOException e) {
            throw new AttemptFailedException(Failure.permanent(BackendStatus.UNAUTHORIZED,
                    "the token endpoint's answer is not a token response"));
        }
    }

    private HttpRequest tokenRequest(GuardedClients.Route route, Duration timeout) {
        StringJoiner form = new StringJoiner("&");
        form.add("grant_type=client_credentials");
        definition.scope().ifPresent(scope -> form.add("scope=" + formEncode(scope)));
        definition.audience().ifPresent(audience -> form.add("audience=" + formEncode(audience)));
        HttpRequest.Builder request = route.newRequest()
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (definition.clientAuthentication() == AuthDefinition.ClientAuthentication.BASIC) {
            // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
            String credentials = formEncode(definition.clientId()) + ":" + formEncode(definition.clientSecret().reveal());
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.add("client_id=" + formEncode(definition.clientId()));
            form.add("client_secret=" + formEncode(definition.clientSecret().reveal()));
        }
        return request.POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
    }

    private Token parse(JsonNode body) throws AttemptFailedException {
        JsonNode accessToken = body.path("access_token");
        if (!accessToken.isTextual() || accessToken.asText().isEmpty()) {
            throw new AttemptFailedException(Failure.permanent(BackendStatus.UNAUTHORIZED,
                    "the token endpoint's answer has no access_token"));
        }
        // expires_in is a number by the RFC; some servers send it as a string.
        long seconds = body.path("expires_in").asLong(-1);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        Duration early = lifetime.compareTo(EARLY_RENEWAL.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : EARLY_RENEWAL;
        return new Token(Secret.of(accessToken.asText()), clock.instant().plus(lifetime).minus(early));
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A token and the instant from which it is renewed. */
    private record Token(Secret value, Instant renewAt) {
        boolean freshAt(Instant now) {
            return now.isBefore(renewAt);
        }
    }
}
