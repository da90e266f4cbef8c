package io.parley.gateway.channels;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the generic channels count: {@code parley_gateway_channel_messages_total{channel,outcome}}
 * (requests to {@code /channels/<name>/messages}: {@code produced}, {@code duplicate},
 * {@code unauthorized}, {@code invalid}, {@code not_produced}) and
 * {@code parley_gateway_channel_replies_total{channel,outcome}} (replies: {@code delivered},
 * {@code dead_lettered}, {@code held} for long-poll, {@code unreadable}).
 */
public final class ChannelMetrics {

    private final MeterRegistry registry;

    public ChannelMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void message(String channel, String outcome) {
        Counter.builder("parley.gateway.channel.messages").description("Messages received by the generic channels")
                .tag("channel", channel).tag("outcome", outcome).register(registry).increment();
    }

    public void delivery(String channel, String outcome) {
        Counter.builder("parley.gateway.channel.replies").description("Replies of the generic channels, by outcome")
                .tag("channel", channel).tag("outcome", outcome).register(registry).increment();
    }

    /** The count so far (tests). */
    public double count(String name, String channel, String outcome) {
        Counter c = registry.find(name).tag("channel", channel).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }
}
