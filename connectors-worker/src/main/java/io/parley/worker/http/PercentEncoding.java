package io.parley.worker.http;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding (RFC 3986) of values placed in URLs. Everything but the unreserved characters
 * ({@code A-Z a-z 0-9 - . _ ~}) is encoded, so a value cannot add a path separator, a query, a
 * fragment, user information, a port or a line break: {@code ../x} becomes {@code ..%2Fx},
 * {@code @evil.example} becomes {@code %40evil.example}, {@code %2f} becomes {@code %252f}.
 */
public final class PercentEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /**
     * Encodes a value as one path segment. A value made only of dots is encoded entirely
     * ({@code ..} → {@code %2E%2E}), because servers resolve the segments {@code .} and {@code ..}.
     */
    public static String pathSegment(String value) {
        if (!value.isEmpty() && value.chars().allMatch(c -> c == '.')) {
            return "%2E".repeat(value.length());
        }
        return encode(value);
    }

    /** Encodes a query parameter name or value. */
    public static String queryComponent(String value) {
        return encode(value);
    }

    private static String encode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0x0F]);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
