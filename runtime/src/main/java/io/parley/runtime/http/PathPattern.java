package io.parley.runtime.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path template such as {@code /subjects/{subject}/versions/{version}}: literal segments and
 * {@code {name}} segments that capture one path segment each.
 */
final class PathPattern {

    private final String template;
    private final List<String> segments;

    PathPattern(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + template);
        }
        this.template = template;
        this.segments = split(template);
    }

    /**
     * The captured variables when the raw (still percent-encoded) path matches. Segments are
     * split before they are decoded, so an encoded {@code %2F} stays inside its segment.
     */
    Optional<Map<String, String>> match(String rawPath) {
        List<String> actual = split(rawPath);
        if (actual.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String expected = segments.get(i);
            String decoded = decode(actual.get(i));
            if (isVariable(expected)) {
                if (decoded.isEmpty()) {
                    return Optional.empty();
                }
                variables.put(expected.substring(1, expected.length() - 1), decoded);
            } else if (!expected.equals(decoded)) {
                return Optional.empty();
            }
        }
        return Optional.of(variables);
    }

    @Override
    public String toString() {
        return template;
    }

    private static boolean isVariable(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> split(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.equals("/")) {
            return List.of();
        }
        return Arrays.asList(trimmed.substring(1).split("/", -1));
    }

    /** Percent-decoding of a path segment, where '+' is a plus sign and not a space. */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpFailure(400, 400, "Malformed percent-encoding in path segment");
        }
    }
}
