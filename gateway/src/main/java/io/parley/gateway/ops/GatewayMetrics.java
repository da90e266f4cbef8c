package io.parley.gateway.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What the gateway counts, as Prometheus shows it: {@code parley_gateway_messages_total{outcome}}
 * (each chat message a browser sent: {@code produced}, or why it was not: {@code rate_limited},
 * {@code message_too_large}, {@code empty_message}, {@code not_delivered}),
 * {@code parley_gateway_replies_total} (replies read from the reply topic),
 * {@code parley_gateway_replies_skipped_total} (unreadable reply records) and
 * {@code parley_gateway_connections} (browser connections attached to a conversation).
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> messages = new ConcurrentHashMap<>();
    private final Counter replies;
    /** Held here: Micrometer keeps only weak references to what a gauge or function counter reads. */
    private IntSupplier connections;
    private LongSupplier skippedReplies;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.replies = Counter.builder("parley.gateway.replies").description("Replies read from the reply topic")
                .register(registry);
        // Registered at start so dashboards see 0 before the first message.
        counter("produced");
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts a chat message by what became of it. */
    public void message(String outcome) {
        counter(outcome).increment();
    }

    private Counter counter(String outcome) {
        return messages.computeIfAbsent(outcome, o -> Counter.builder("parley.gateway.messages")
                .description("Chat messages from browsers, by outcome")
                .tag("outcome", o)
                .register(registry));
    }

    public void replyRead() {
        replies.increment();
    }

    /** Watches the connections attached on this instance. */
    public void watchConnections(IntSupplier connections) {
        this.connections = connections;
        Gauge.builder("parley.gateway.connections", connections, IntSupplier::getAsInt)
                .description("Browser connections attached to a conversation on this instance")
                .register(registry);
    }

    /** Watches the count of unreadable reply records skipped. */
    public void watchSkippedReplies(LongSupplier skipped) {
        this.skippedReplies = skipped;
        FunctionCounter.builder("parley.gateway.replies.skipped", skipped, LongSupplier::getAsLong)
                .description("Reply records that could not be read and were skipped")
                .register(registry);
    }
}
