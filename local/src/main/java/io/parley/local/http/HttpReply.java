package io.parley.local.http;

/**
 * What a route answers: an HTTP status and a body that the {@link Router} writes as JSON.
 *
 * @param status the HTTP status
 * @param body the value to write as JSON, or {@code null} for an empty body
 */
public record HttpReply(int status, Object body) {

    /** A 200 answer with this body. */
    public static HttpReply ok(Object body) {
        return new HttpReply(200, body);
    }
}
