package io.parley.runtime.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Says {@code Connection: close} on an answer given before the request's body was read to its end
 * (a 401, 403, 405 or 413 refuses without reading what it refuses).
 *
 * <p>Jetty cannot keep such a connection: the rest of the body may still be on its way, so it
 * drops the connection after the answer, and whether the body had all arrived by then is a matter
 * of timing. Without the header a client may send its next request on that connection as it
 * closes and read "no bytes" instead of an answer (the JDK's client does not retry a POST). With
 * it, the client knows to open a new one (RFC 9112, 9.6). Requests without a body pass through
 * unwrapped.
 */
final class ClosesAfterUnreadBody extends Handler.Wrapper {

    ClosesAfterUnreadBody(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!hasBody(request)) {
            return super.handle(request, response, callback);
        }
        BodyReading reading = new BodyReading(request);
        Response answer = new Response.Wrapper(reading, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback written) {
                reading.closeIfUnread(getWrapped());
                super.write(last, content, written);
            }
        };
        // An answer completed without a write is not committed yet: Jetty adds the header itself then.
        return super.handle(reading, answer, callback);
    }

    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** The request, noting whether its handler read the body to its last chunk. */
    private static final class BodyReading extends Request.Wrapper {

        private volatile boolean readToEnd;

        BodyReading(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast()) {
                readToEnd = true;
            }
            return chunk;
        }

        void closeIfUnread(Response response) {
            if (!readToEnd && !response.isCommitted()) {
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
        }
    }
}
