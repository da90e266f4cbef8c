package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import io.parley.processor.conversation.SessionLimits;
import io.parley.processor.flow.Timing;
import java.time.Duration;

/**
 * The {@code conversation:} section of processor.yaml: defaults for the flows' timing, and how
 * long the processor remembers sessions and ids.
 *
 * @param interimAfter default time until a still-working message ({@code 2s})
 * @param deadline default time until the fallback reply ({@code 8s})
 * @param lateReply default for delivering answers after the deadline as follow-ups ({@code true})
 * @param sessionTtl idle time after which a session is removed ({@code 30m})
 * @param dedupeWindow how long event and notification ids are remembered to drop duplicates ({@code 24h})
 * @param punctuationInterval how often due deadlines and expiries are looked for ({@code 500ms})
 * @param lateAnswerWindow how long after a deadline a late answer is still recognised ({@code 10m})
 * @param directoryRefresh how long a conversation must be quiet before its next message points the
 *        user directory (where notifications go) at it again ({@code 10m}); see DirectoryRefresh
 * @param sessionCache decoded sessions kept in memory per stream task for their next read ({@code 1000}; 0 keeps none)
 */
public record ConversationSettings(Duration interimAfter, Duration deadline, boolean lateReply, Duration sessionTtl,
                                   Duration dedupeWindow, Duration punctuationInterval, Duration lateAnswerWindow,
                                   Duration directoryRefresh, int sessionCache) {

    public static final ConversationSettings DEFAULTS = new ConversationSettings(Duration.ofSeconds(2), Duration.ofSeconds(8),
            true, Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofMillis(500), Duration.ofMinutes(10), Duration.ofMinutes(10),
            1_000);

    /** The keys of the section, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("conversation", "Conversation timing defaults (flows may override)")
            .key("interimAfter", "duration", "2s", "time until the still-working message")
            .key("deadline", "duration", "8s", "time until the fallback reply (longer than interimAfter)")
            .key("lateReply", "boolean", "true", "deliver answers after the deadline as FOLLOW_UP replies")
            .key("sessionTtl", "duration", "30m", "idle time after which a session is removed (not before the deadline of a turn it waits on)")
            .key("dedupeWindow", "duration", "24h", "how long chat event and notification ids are remembered to drop duplicates")
            .key("punctuationInterval", "duration", "500ms", "how often due deadlines and expiries are looked for (wall clock)")
            .key("lateAnswerWindow", "duration", "10m", "how long after its deadline a late answer is still recognised")
            .key("directoryRefresh", "duration", "10m",
                    "quiet time after which a conversation's next message points the user's notifications at it again")
            .key("sessionCache", "int", "1000",
                    "decoded sessions kept in memory per stream task, so a session read again soon (a backend's answer, the next message) is not decoded again; 0 keeps none");

    static ConversationSettings read(ConfigSection section) {
        ConversationSettings settings = new ConversationSettings(
                section.duration("interimAfter", DEFAULTS.interimAfter()),
                section.duration("deadline", DEFAULTS.deadline()),
                section.bool("lateReply", DEFAULTS.lateReply()),
                section.duration("sessionTtl", DEFAULTS.sessionTtl()),
                section.duration("dedupeWindow", DEFAULTS.dedupeWindow()),
                section.duration("punctuationInterval", DEFAULTS.punctuationInterval()),
                section.duration("lateAnswerWindow", DEFAULTS.lateAnswerWindow()),
                section.duration("directoryRefresh", DEFAULTS.directoryRefresh()),
                section.intValue("sessionCache", DEFAULTS.sessionCache(), 0, 1_000_000));
        section.allowOnly(KEYS);
        requirePositive(section, "deadline", settings.deadline());
        requirePositive(section, "sessionTtl", settings.sessionTtl());
        requirePositive(section, "dedupeWindow", settings.dedupeWindow());
        requirePositive(section, "punctuationInterval", settings.punctuationInterval());
        if (settings.interimAfter().compareTo(settings.deadline()) >= 0) {
            throw section.error("interimAfter", settings.interimAfter() + " must be shorter than the deadline (" + settings.deadline() + ")");
        }
        return settings;
    }

    private static void requirePositive(ConfigSection section, String key, Duration value) {
        if (value.isZero()) {
            throw section.error(key, "must be longer than zero");
        }
    }

    /** The timing of intents that set none of their own, and of classifier calls. */
    public Timing timing() {
        return new Timing(interimAfter, deadline, lateReply);
    }

    public SessionLimits limits() {
        return new SessionLimits(lateAnswerWindow, SessionLimits.defaults().lateTurns(), SessionLimits.defaults().recentTurns());
    }
}
