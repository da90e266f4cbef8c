package io.parley.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: an HTTP status, a body and the headers to add. A body is written as JSON by
 * {@link Routes}, unless the reply is {@linkplain #text text} with its own content type.
 *
 * @param status the HTTP status
 * @param body the value to write as JSON, the text of a text reply, or {@code null} for an empty body
 * @param contentType the Content-Type of a text reply; {@code null}: the routes' JSON content type
 * @param headers more response headers, such as {@code Allow}
 */
public record HttpReply(int status, Object body, String contentType, Map<String, String> headers) {

    public HttpReply {
        headers = Map.copyOf(headers);
        if (contentType != null && body != null && !(body instanceof String)) {
            throw new IllegalArgumentException("a text reply's body is a String, not a " + body.getClass().getSimpleName());
        }
    }

    /** An answer with this status and a body written as JSON. */
    public HttpReply(int status, Object body) {
        this(status, body, null, Map.of());
    }

    /** A 200 answer with this body, written as JSON. */
    public static HttpReply ok(Object body) {
        return new HttpReply(200, body);
    }

    /** An answer whose body is this text, sent as is with this Content-Type. */
    public static HttpReply text(int status, String contentType, String text) {
        return new HttpReply(status, text, contentType, Map.of());
    }

    /** This reply with one more response header. */
    public HttpReply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, body, contentType, more);
    }
}
