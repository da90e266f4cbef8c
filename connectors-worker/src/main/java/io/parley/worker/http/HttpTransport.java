package io.parley.worker.http;

import io.parley.runtime.Secret;
import io.parley.runtime.tracing.Tracing;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptContext;
import io.parley.worker.connector.AttemptFailedException;
import io.parley.worker.connector.AttemptOutcome;
import io.parley.worker.connector.AttemptOutcome.Failure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends one attempt's HTTP request for a connector (JDK {@link HttpClient}) and says how it went:
 * checks the target address, adds {@code Idempotency-Key}, static headers and credentials, bounds
 * the answer's size and the attempt's time, follows redirects only within the connector's own
 * origin, asks OAuth2 for a fresh token once after a 401, and maps the status.
 */
public final class HttpTransport implements AutoCloseable {

    private static final int MAX_REDIRECTS = 3;

    private final GuardedClients clients;
    private final TlsSettings tls;
    private final HttpAuth auth;
    private final Map<String, Secret> headers;
    private final long maxResponseBytes;
    private final Clock clock;
    private final CallDeadlines deadlines;

    /**
     * @param connector the connector's name, for the timer thread's name
     */
    HttpTransport(String connector, GuardedClients clients, HttpAuth auth, Map<String, Secret> headers,
                  long maxResponseBytes, Clock clock) {
        this(connector, clients, TlsSettings.DEFAULT, auth, headers, maxResponseBytes, clock);
    }

    /**
     * @param connector the connector's name, for the timer thread's name
     * @param tls the connector's TLS settings, named in TLS failures
     */
    HttpTransport(String connector, GuardedClients clients, TlsSettings tls, HttpAuth auth, Map<String, Secret> headers,
                  long maxResponseBytes, Clock clock) {
        this.clients = clients;
        this.tls = tls;
        this.auth = auth;
        this.headers = Map.copyOf(headers);
        this.maxResponseBytes = maxResponseBytes;
        this.clock = clock;
        this.deadlines = new CallDeadlines(connector);
    }

    /**
     * One request of an operation.
     *
     * @param method the HTTP method
     * @param uri where it goes (already checked to be within the connector's origin)
     * @param body the JSON body, if any
     * @param idempotencyKey the request id: the same for every attempt and redelivery
     */
    public record HttpCall(String method, URI uri, Optional<byte[]> body, String idempotencyKey) {
    }

    /** Reads the body of an unsuccessful answer, which some APIs fill with details (GraphQL errors). */
    @FunctionalInterface
    public interface ErrorBody {
        /**
         * @param byStatus what the status alone means
         * @param body the answer's body (bounded like any answer)
         */
        Failure read(Failure byStatus, byte[] body);
    }

    /**
     * Makes one attempt.
     *
     * @param onSuccess maps a 2xx body to the outcome
     */
    public AttemptOutcome exchange(HttpCall call, AttemptContext context, Function<byte[], AttemptOutcome> onSuccess)
            throws InterruptedException {
        return exchange(call, context, onSuccess, (byStatus, body) -> byStatus);
    }

    /**
     * Makes one attempt.
     *
     * @param onSuccess maps a 2xx body to the outcome
     * @param onError refines the failure of a final unsuccessful status from its body
     */
    public AttemptOutcome exchange(HttpCall call, AttemptContext context, Function<byte[], AttemptOutcome> onSuccess,
                                   ErrorBody onError) throws InterruptedException {
        long attemptEnds = System.nanoTime() + context.timeout().toNanos();
        Origin origin = Origin.of(call.uri());
        URI target = call.uri();
        String method = call.method();
        boolean refreshed = false;
        for (int redirects = 0; ; ) {
            HttpResponse<byte[]> response;
            try {
                // Resolved and checked once; the request goes to the checked address.
                GuardedClients.Route route = clients.route(target, "");
                Duration left = Duration.ofNanos(attemptEnds - System.nanoTime());
                if (left.isNegative() || left.isZero()) {
                    return Failure.retriable(BackendStatus.TIMEOUT, "the backend did not answer in time");
                }
                HttpRequest request = request(call, method, route, left, context);
                context.countCall();
                response = send(route.client(), request, left);
            } catch (AttemptFailedException e) {
                return e.failure();
            } catch (IOException e) {
                return TransportFailures.classify(e, target.getHost(), tls, clients.proxied(target.getHost()));
            }
            int status = response.statusCode();
            if (status == 407 && clients.proxied(target.getHost())) {
                // The proxy's answer to the tunnel request, not the backend's: the same credentials stay wrong.
                return TransportFailures.proxyRefusedCredentials();
            }
            if (status >= 200 && status <= 299) {
                return onSuccess.apply(response.body());
            }
            if (isRedirect(status)) {
                Optional<URI> location = response.headers().firstValue("Location").map(target::resolve);
                if (location.isEmpty()) {
                    return Failure.permanent(BackendStatus.SERVER_ERROR, "the backend redirected without a Location");
                }
                if (!Origin.of(location.get()).equals(origin)) {
                    return Failure.permanent(BackendStatus.REJECTED,
                            "a redirect to another host (" + location.get().getHost() + ") was refused");
                }
                if (++redirects > MAX_REDIRECTS) {
                    return Failure.permanent(BackendStatus.SERVER_ERROR, "the backend redirected more than " + MAX_REDIRECTS + " times");
                }
                target = location.get();
                method = status == 303 ? "GET" : method;
                continue;
            }
            if (status == 401 && !refreshed && auth.refreshAfterUnauthorized()) {
                refreshed = true;
                continue;
            }
            Failure byStatus = HttpStatusMapping.failure(status, RetryAfter.parse(response.headers().firstValue("Retry-After"), clock));
            return onError.read(byStatus, response.body());
        }
    }

    private HttpRequest request(HttpCall call, String method, GuardedClients.Route route, Duration timeout, AttemptContext context)
            throws AttemptFailedException, InterruptedException {
        boolean withBody = call.body().isPresent() && !method.equals("GET");
        HttpRequest.Builder request = route.newRequest()
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Idempotency-Key", call.idempotencyKey())
                .method(method, withBody
                        ? HttpRequest.BodyPublishers.ofByteArray(call.body().get())
                        : HttpRequest.BodyPublishers.noBody());
        if (withBody) {
            request.header("Content-Type", "application/json");
        }
        // Configured headers replace the defaults above (an API may want its own Accept); Host is
        // refused for them at start (HeaderNames), so the checked route's Host stays.
        headers.forEach((name, value) -> request.setHeader(name, value.reveal()));
        // The worker's call span (or, with tracing off, the processor's request) continues in the backend.
        Tracing.writeCurrentContext(request::setHeader);
        auth.authorize(request, context);
        return request.build();
    }

    /**
     * Sends on this thread. The client then runs the exchange here as far as it can, where
     * {@code sendAsync} would hand every step to its executor and complete the answer on
     * {@code CompletableFuture}'s default executor, which on machines with fewer than three cores
     * starts a new thread for every response.
     */
    private HttpResponse<byte[]> send(HttpClient client, HttpRequest request, Duration timeout) throws IOException, InterruptedException {
        try (CallDeadlines.Deadline deadline = deadlines.start(timeout)) {
            try {
                return client.send(request, new BoundedBody(maxResponseBytes));
            } catch (InterruptedException e) {
                if (deadline.expired()) {
                    throw new HttpTimeoutException("the backend did not answer in time");
                }
                throw e;
            }
        }
    }

    /** Stops the timer of this transport's calls. */
    @Override
    public void close() {
        deadlines.close();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
