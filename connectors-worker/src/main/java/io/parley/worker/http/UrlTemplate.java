package io.parley.worker.http;

import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.TextTemplate;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An operation's URL: the connector's base URL, a path template such as {@code /orders/{orderId}}
 * and query parameters whose values are templates. Parameter values are percent-encoded for the
 * place they land in, and the result is checked to still point at the base URL's origin.
 */
public final class UrlTemplate {

    private final BaseUrl base;
    private final TextTemplate path;
    private final Map<String, TextTemplate> query;

    private UrlTemplate(BaseUrl base, TextTemplate path, Map<String, TextTemplate> query) {
        this.base = base;
        this.path = path;
        this.query = query;
    }

    /**
     * Checks a path template.
     *
     * @throws IllegalArgumentException saying what is wrong (the caller adds where)
     */
    public static UrlTemplate of(BaseUrl base, String pathTemplate, Map<String, TextTemplate> query) {
        if (!pathTemplate.startsWith("/")) {
            throw new IllegalArgumentException("'" + pathTemplate + "' must start with '/'");
        }
        if (pathTemplate.contains("?") || pathTemplate.contains("#")) {
            throw new IllegalArgumentException("'" + pathTemplate + "' must not contain '?' or '#'; put parameters under query");
        }
        for (String segment : pathTemplate.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("'" + pathTemplate + "' must not contain '.' or '..' segments");
            }
        }
        TextTemplate path = TextTemplate.parse(pathTemplate);
        return new UrlTemplate(base, path, Collections.unmodifiableMap(new LinkedHashMap<>(query)));
    }

    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>(path.parameters());
        query.values().forEach(template -> names.addAll(template.parameters()));
        return names;
    }

    /**
     * The URL for one request.
     *
     * @throws InvalidRequestException when a parameter is missing
     */
    public URI render(Map<String, String> params) throws InvalidRequestException {
        StringBuilder url = new StringBuilder(base.uri().toString());
        url.append(path.render(params, PercentEncoding::pathSegment));
        String separator = "?";
        for (Map.Entry<String, TextTemplate> parameter : query.entrySet()) {
            url.append(separator)
                    .append(PercentEncoding.queryComponent(parameter.getKey()))
                    .append('=')
                    .append(parameter.getValue().render(params, PercentEncoding::queryComponent));
            separator = "&";
        }
        URI uri = URI.create(url.toString());
        if (!Origin.of(uri).equals(base.origin())) {
            // Unreachable with encoded values; kept as the last line of defence against a changed host.
            throw new InvalidRequestException("the parameters would change the connector's host");
        }
        return uri;
    }

    @Override
    public String toString() {
        return base + path.toString();
    }
}
