package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Bot Framework's signing keys with their {@code endorsements}: the channels (such as {@code msteams}) each key
 * may sign for. Microsoft's rules: a token is accepted only when its key's endorsements contain the activity's
 * {@code channelId}; nimbus's key sets drop that member, so the key set is read here. Fetched on first use,
 * refetched after {@link #REFRESH} (Microsoft rotates keys and advises refreshing daily) and, at most every
 * {@link #UNKNOWN_KEY_REFETCH}, when a token names an unknown key id.
 */
public final class BotFrameworkKeys implements JWKSource<SecurityContext> {

    /** Fetches the key set's JSON text; throws when it cannot. */
    @FunctionalInterface
    public interface Fetch {
        String keySet() throws IOException;
    }

    static final Duration REFRESH = Duration.ofHours(24);
    static final Duration UNKNOWN_KEY_REFETCH = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Snapshot(JWKSet keys, Map<String, Set<String>> endorsements, Instant fetched) {
    }

    private final Fetch fetch;
    private final Clock clock;
    private volatile Snapshot snapshot;

    public BotFrameworkKeys(Fetch fetch, Clock clock) {
        this.fetch = fetch;
        this.clock = clock;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        Snapshot current = current();
        List<JWK> found = selector.select(current.keys());
        if (found.isEmpty() && Duration.between(current.fetched(), clock.instant()).compareTo(UNKNOWN_KEY_REFETCH) >= 0) {
            found = selector.select(refetch().keys());
        }
        return found;
    }

    /** The channels the key {@code keyId} is endorsed for; empty for an unknown key or one without endorsements. */
    public Set<String> endorsements(String keyId) throws KeySourceException {
        return keyId == null ? Set.of() : current().endorsements().getOrDefault(keyId, Set.of());
    }

    private Snapshot current() throws KeySourceException {
        Snapshot s = snapshot;
        if (s == null || Duration.between(s.fetched(), clock.instant()).compareTo(REFRESH) >= 0) {
            try {
                return refetch();
            } catch (KeySourceException e) {
                if (s != null) {
                    // Keep judging with the keys we have rather than refusing every activity while the keys' host is down.
                    return s;
                }
                throw e;
            }
        }
        return s;
    }

    private synchronized Snapshot refetch() throws KeySourceException {
        String text;
        try {
            text = fetch.keySet();
        } catch (IOException e) {
            throw new KeySourceException("the Bot Framework's key set could not be fetched: " + e.getClass().getSimpleName());
        }
        Snapshot read = parse(text, clock.instant());
        snapshot = read;
        return read;
    }

    static Snapshot parse(String text, Instant at) throws KeySourceException {
        try {
            JWKSet keys = JWKSet.parse(text);
            Map<String, Set<String>> endorsements = new HashMap<>();
            for (JsonNode key : JSON.readTree(text).path("keys")) {
                String kid = key.path("kid").asText(null);
                if (kid == null) {
                    continue;
                }
                Set<String> channels = new HashSet<>();
                key.path("endorsements").forEach(e -> {
                    if (e.isTextual()) {
                        channels.add(e.asText());
                    }
                });
                endorsements.put(kid, Set.copyOf(channels));
            }
            return new Snapshot(keys, Map.copyOf(endorsements), at);
        } catch (ParseException | IOException e) {
            throw new KeySourceException("the Bot Framework's key set is not a JWK set");
        }
    }
}
