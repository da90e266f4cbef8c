package io.parley.gateway.channels;

import io.parley.runtime.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 signatures of the generic channel, both ways: a caller signs its requests, the
 * gateway signs its callbacks. The signed text is {@code <timestamp>.<content>}, where timestamp is
 * the {@code X-Parley-Timestamp} header (Unix seconds) and content the request body (for a GET,
 * which has none: the path and query). The {@code X-Parley-Signature} header carries
 * {@code v1=<lower-case hex>}.
 */
public final class Signatures {

    public static final String TIMESTAMP_HEADER = "X-Parley-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Parley-Signature";
    static final String VERSION = "v1=";

    private Signatures() {
    }

    /** The {@code X-Parley-Signature} value of {@code content} sent at {@code timestamp}. */
    public static String sign(Secret secret, String timestamp, byte[] content) {
        return VERSION + HexFormat.of().formatHex(mac(secret, timestamp, content));
    }

    /** Whether {@code header} is the signature of {@code content} at {@code timestamp}, compared in constant time. */
    public static boolean matches(Secret secret, String timestamp, byte[] content, String header) {
        if (header == null || !header.startsWith(VERSION)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, timestamp, content), given);
    }

    private static byte[] mac(Secret secret, String timestamp, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
