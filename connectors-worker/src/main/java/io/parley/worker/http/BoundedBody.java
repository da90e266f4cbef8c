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
 * Bodies of unsuccessful answers are discarded unread: only their status and headers are used.
 */
public final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {

    private final long limit;

    public BoundedBody(long limit) {
        this.limit = limit;
    }

    @Override
    public BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        if (info.statusCode() < 200 || info.statusCode() > 299) {
            return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
        return new Limited(limit, declared > limit);
    }

    private static final class Limited implements BodySubscriber<byte[]> {

        private final long limit;
        private final boolean tooLargeAlready;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Limited(long limit, boolean tooLargeAlready) {
            this.limit = limit;
            this.tooLargeAlready = tooLargeAlready;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (tooLargeAlready) {
                subscription.cancel();
                body.completeExceptionally(new ResponseTooLargeException(limit));
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
                    subscription.cancel();
                    body.completeExceptionally(new ResponseTooLargeException(limit));
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
