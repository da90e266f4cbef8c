package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import io.parley.runtime.config.ByteSizes;

import io.parley.processor.conversation.RecordBounds;
import java.time.Duration;

/**
 * The {@code limits:} section of processor.yaml: how large what a turn keeps and writes may grow,
 * and how long a turn may compute. Backends and channels are outside Parley's control; without
 * these bounds two 600 kB answers made a session record Kafka refused, and the processor stopped.
 * The sizes are checked at start against the producer's {@code max.request.size} and the topics'
 * {@code max.message.bytes} ({@link io.parley.processor.ops.RecordLimitsCheck}).
 *
 * @param maxResultBytes the largest result of one call a session keeps, once reduced to the fields
 *     the flow uses (UTF-8 JSON); a larger one fails the call as {@code RESPONSE_TOO_LARGE} ({@code 64KiB})
 * @param maxSessionBytes the largest session record (Avro); a turn that would make it larger ends
 *     with an error reply and the session keeps what it had ({@code 512KiB})
 * @param maxRequestBytes the largest set of parameters of one backend request, in UTF-8 bytes; it
 *     also bounds what one template may render ({@code 64KiB})
 * @param maxReplyChars the longest reply text; a longer one is cut, ending with "…" ({@code 4000})
 * @param maxAuditTextChars the longest text of an audit record (after redaction); cut likewise ({@code 2000})
 * @param maxDeadLetterBytes the largest dead-letter record; a larger refused input keeps its first
 *     bytes and says how large it was ({@code 256KiB})
 * @param turnCpuBudget the CPU time one input may take in the conversation step; a turn that took
 *     longer is ended with an error reply and counted ({@code 2s})
 * @param stalledAfter how long a stream thread may stay on one record before {@code /health/ready}
 *     says the instance is not ready ({@code 60s})
 */
public record Limits(int maxResultBytes, int maxSessionBytes, int maxRequestBytes, int maxReplyChars,
                     int maxAuditTextChars, int maxDeadLetterBytes, Duration turnCpuBudget, Duration stalledAfter) {

    public static final Limits DEFAULTS = new Limits(64 << 10, 512 << 10, 64 << 10, 4_000, 2_000, 256 << 10,
            Duration.ofSeconds(2), Duration.ofSeconds(60));

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("limits", "Bounds that keep sessions and records within what Kafka accepts")
            .key("maxResultBytes", "size 1KiB-16MiB", "64KiB", "the largest result of one call a session keeps; larger fails as RESPONSE_TOO_LARGE")
            .key("maxSessionBytes", "size 16KiB-64MiB", "512KiB", "the largest session record; a larger turn ends with an ERROR reply")
            .key("maxRequestBytes", "size", "64KiB", "the largest parameters of one backend request; also what one template may render")
            .key("maxReplyChars", "integer 100-1000000", "4000", "the longest reply text; longer is cut")
            .key("maxAuditTextChars", "integer 100-1000000", "2000", "the longest audit text and attribute value, cut after redaction")
            .key("maxDeadLetterBytes", "size", "256KiB", "the largest dead-letter record; a larger one keeps its first bytes")
            .key("turnCpuBudget", "duration (10ms or more)", "2s", "CPU time one input may take in the conversation step")
            .key("stalledAfter", "duration (1s or more)", "60s", "/health/ready answers 503 while a stream thread is on one record longer");

    static Limits read(ConfigSection section) {
        Limits limits = new Limits(
                bytes(section, "maxResultBytes", DEFAULTS.maxResultBytes(), 1 << 10, 16 << 20),
                bytes(section, "maxSessionBytes", DEFAULTS.maxSessionBytes(), 16 << 10, 64 << 20),
                bytes(section, "maxRequestBytes", DEFAULTS.maxRequestBytes(), 1 << 10, 16 << 20),
                section.intValue("maxReplyChars", DEFAULTS.maxReplyChars(), 100, 1_000_000),
                section.intValue("maxAuditTextChars", DEFAULTS.maxAuditTextChars(), 100, 1_000_000),
                bytes(section, "maxDeadLetterBytes", DEFAULTS.maxDeadLetterBytes(), 4 << 10, 64 << 20),
                section.duration("turnCpuBudget", DEFAULTS.turnCpuBudget()),
                section.duration("stalledAfter", DEFAULTS.stalledAfter()));
        section.allowOnly(KEYS);
        if (limits.maxResultBytes() > limits.maxSessionBytes()) {
            throw section.error("maxResultBytes", limits.maxResultBytes() + " is above maxSessionBytes ("
                    + limits.maxSessionBytes() + "); a session must be able to hold one result");
        }
        if (limits.turnCpuBudget().toMillis() < 10) {
            throw section.error("turnCpuBudget", limits.turnCpuBudget() + " is too short; allowed is 10ms or more");
        }
        if (limits.stalledAfter().toSeconds() < 1) {
            throw section.error("stalledAfter", limits.stalledAfter() + " is too short; allowed is 1s or more");
        }
        return limits;
    }

    private static int bytes(ConfigSection section, String key, int defaultValue, int min, int max) {
        long value = section.string(key).map(text -> ByteSizes.parse(section.where(key), text)).orElse((long) defaultValue);
        if (value < min || value > max) {
            throw section.error(key, value + " bytes is out of range; allowed are " + min + " to " + max + " bytes");
        }
        return (int) value;
    }

    /** The bounds the conversation engine applies. */
    public RecordBounds bounds() {
        return new RecordBounds(maxResultBytes, maxSessionBytes, maxRequestBytes, maxReplyChars);
    }
}
