package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

/**
 * The {@code inputs:} section of processor.yaml: how large the fields of a chat event may be.
 * Channels are outside Parley's control; a field beyond its limit would end up in sessions,
 * requests, replies and audit records, and could make a record Kafka refuses (one 600,000-character
 * event id crash-looped the processor). Such an event is refused to the dead-letter topic with the
 * field named, and the conversation goes on.
 *
 * @param maxIdLength the longest event id, conversation id, user id, channel and locale, in characters ({@code 256})
 * @param maxTextLength the longest message text, in characters ({@code 10000})
 * @param maxPayloadEntries the most entries of a postback payload ({@code 50})
 * @param maxPayloadValueLength the longest payload key or value, in characters ({@code 1000})
 */
public record InputLimits(int maxIdLength, int maxTextLength, int maxPayloadEntries, int maxPayloadValueLength) {

    public static final InputLimits DEFAULTS = new InputLimits(256, 10_000, 50, 1_000);

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("inputs", "Bounds of chat events accepted")
            .key("maxIdLength", "integer 16-10000", "256", "the longest event id, conversation id, user id, channel and locale")
            .key("maxTextLength", "integer 1-200000", "10000", "the longest message text, in characters")
            .key("maxPayloadEntries", "integer 0-1000", "50", "the most entries of a postback payload")
            .key("maxPayloadValueLength", "integer 1-100000", "1000", "the longest payload key or value");

    static InputLimits read(ConfigSection section) {
        InputLimits limits = new InputLimits(
                section.intValue("maxIdLength", DEFAULTS.maxIdLength(), 16, 10_000),
                section.intValue("maxTextLength", DEFAULTS.maxTextLength(), 1, 200_000),
                section.intValue("maxPayloadEntries", DEFAULTS.maxPayloadEntries(), 0, 1_000),
                section.intValue("maxPayloadValueLength", DEFAULTS.maxPayloadValueLength(), 1, 100_000));
        section.allowOnly(KEYS);
        return limits;
    }
}
