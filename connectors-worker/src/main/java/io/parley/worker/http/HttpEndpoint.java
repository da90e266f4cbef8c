package io.parley.worker.http;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.worker.config.SecretFields;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an HTTP or GraphQL connector sends its calls and how: the URL, whether private networks
 * are allowed, credentials, static headers (header values may be config-provider references
 * and are kept hidden like secrets), TLS settings and the proxy the calls go through.
 */
public record HttpEndpoint(BaseUrl url, boolean allowPrivateNetworks, AuthDefinition auth, Map<String, Secret> headers,
                           TlsSettings tls, Optional<ProxySettings> proxy) {

    public static final String ALLOW_PRIVATE_NETWORKS = "allowPrivateNetworks";
    public static final String AUTH = "auth";
    public static final String HEADERS = "headers";

    /** The keys an endpoint adds to a connector, besides its URL key. */
    public static final List<String> KEYS = List.of(ALLOW_PRIVATE_NETWORKS, AUTH, HEADERS, TlsSettings.SECTION,
            ProxySettings.SECTION);

    /** The keys of a kind calling through an endpoint: {@link #KEYS} and the kind's own (its URL key first). */
    public static List<String> keys(String... own) {
        List<String> keys = new java.util.ArrayList<>(KEYS);
        keys.addAll(List.of(own));
        return keys;
    }

    /** Reads the endpoint of a connector entry; {@code urlKey} names its URL setting. */
    public static HttpEndpoint from(ConfigSection connector, String urlKey, ConfigVariables variables) {
        BaseUrl url;
        try {
            url = BaseUrl.parse(connector.requiredString(urlKey));
        } catch (IllegalArgumentException e) {
            throw connector.error(urlKey, e.getMessage());
        }
        Map<String, Secret> headers = new LinkedHashMap<>();
        connector.object(HEADERS).ifPresent(section -> section.keys().forEach(name -> {
            HeaderNames.requireAllowed(section, name, name);
            String value = section.requiredString(name);
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw section.error(name, "a header value must not contain line breaks");
            }
            Secret resolved = variables.resolveSecret(section.where(name), value);
            SecretFields.requireHeaderText(section, name, resolved);
            headers.put(name, resolved);
        }));
        return new HttpEndpoint(url, connector.bool(ALLOW_PRIVATE_NETWORKS, false),
                AuthDefinition.from(connector.object(AUTH), variables), Map.copyOf(headers),
                TlsSettings.from(connector.object(TlsSettings.SECTION), variables),
                ProxySettings.from(connector.object(ProxySettings.SECTION), variables));
    }

    /** The transport of a connector using this endpoint. */
    public HttpTransport transport(ConnectorSettings settings, ConnectorEnvironment environment) {
        return transport(settings, environment,
                GuardedClients.of(settings.timeout(), tls, proxy, NetworkGuard.of(allowPrivateNetworks)));
    }

    /** The transport of a connector using this endpoint, through the given clients (tests choose the guard and TLS context). */
    HttpTransport transport(ConnectorSettings settings, ConnectorEnvironment environment, GuardedClients clients) {
        long maxResponseBytes = environment.maxResponseBytes(settings);
        HttpAuth httpAuth = HttpAuth.of(auth, clients, environment.timing().clock(), maxResponseBytes);
        return new HttpTransport(settings.name(), clients, tls, httpAuth, headers, maxResponseBytes, environment.timing().clock());
    }
}
