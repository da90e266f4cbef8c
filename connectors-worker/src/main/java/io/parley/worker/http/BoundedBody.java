package io.parley.worker.http;

import io.parley.worker.connector.ResponseTooLargeException;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a successful answer's body into memory up to a limit, and stops reading (cancelling the
 * download) as soon as the limit is passed, so a huge or endless answer cannot exhaust memory.
 * Bodies of error answers (4xx, 5xx) are read up to {@value #ERROR_LIMIT} bytes, for the details
 * some APIs put there (GraphQL errors); a longer one is dropped (read as empty), not an error of
 * its own. Other bodies (redirects) are discarded unread.
 */
public final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {

    static final int ERROR_LIMIT = 16 * 1024;

    private final long limit;

    public BoundedBody(long limit) {
        this.limit = limit;
    }

    @Override
    public BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
        if (info.statusCode() >= 400 && info.statusCode() <= 599) {
            long errorLimit = Math.min(limit, ERROR_LIMIT);
            return new Limited(errorLimit, declared > errorLimit, true);
        }
        if (info.statusCode() < 200 || info.statusCode() > 299) {
            return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        return new Limited(limit, declared > limit, false);
    }

    private static final class Limited implements BodySubscriber<byte[]> {

        private final long limit;
        private final boolean tooLargeAlready;
        private final boolean tooLargeIsEmpty;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Limited(long limit, boolean tooLargeAlready, boolean tooLargeIsEmpty) {
            this.limit = limit;
            this.tooLargeAlready = tooLargeAlready;
            this.tooLargeIsEmpty = tooLargeIsEmpty;
        }

        private void tooLarge() {
            subscription.cancel();
            if (tooLargeIsEmpty) {
                body.complete(new byte[0]);
            } else {
                body.completeExceptionally(new ResponseTooLargeException(limit));
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (tooLargeAlready) {
                tooLarge();
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + (long) buffer.remaining() > limit) {
                    tooLarge();
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }
    }
}
