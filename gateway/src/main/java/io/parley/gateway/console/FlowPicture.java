package io.parley.gateway.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The flows as a picture for the console: the SVG a processor draws of the flows it runs
 * ({@code GET /flows/graph.svg} on its admin endpoint), fetched when asked and kept for a while,
 * so the picture follows the flows the processors run without the gateway loading flow files.
 */
public final class FlowPicture {

    private static final Duration KEPT_FOR = Duration.ofSeconds(30);
    private static final int MAX_BYTES = 2 * 1024 * 1024;

    private final URI source;
    private final io.parley.runtime.Secret token;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String svg;
    private Instant fetchedAt = Instant.MIN;

    /** @param source a processor's {@code http://processor:8085/flows/graph.svg} */
    public FlowPicture(URI source, Clock clock) {
        this(source, null, clock);
    }

    /**
     * @param source a processor's {@code http://processor:8085/flows/graph.svg}
     * @param token a viewer credential the processor accepts ({@code access:}); null: none sent
     */
    public FlowPicture(URI source, io.parley.runtime.Secret token, Clock clock) {
        this.source = source;
        this.token = token;
        this.clock = clock;
    }

    /** The SVG, or empty when the processor does not answer (and no earlier picture is kept). */
    public synchronized Optional<String> svg() {
        Instant now = clock.instant();
        if (svg == null || now.isAfter(fetchedAt.plus(KEPT_FOR))) {
            fetch().ifPresent(fresh -> {
                svg = fresh;
                fetchedAt = now;
            });
        }
        return Optional.ofNullable(svg);
    }

    private Optional<String> fetch() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(source).timeout(Duration.ofSeconds(3));
            if (token != null) {
                request.header("Authorization", "Bearer " + token.reveal());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            boolean looksLikeSvg = body != null && body.length() <= MAX_BYTES && body.contains("<svg");
            return response.statusCode() == 200 && looksLikeSvg ? Optional.of(body) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
