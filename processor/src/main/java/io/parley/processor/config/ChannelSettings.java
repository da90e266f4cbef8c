package io.parley.processor.config;

import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code channels:} section of processor.yaml: what each channel is allowed beyond the default.
 *
 * <pre>
 * channels:
 *   agent-desk:
 *     sharedConversations: true   # default false
 * </pre>
 *
 * <p>By default a conversation belongs to the user who started it, and an event from another user
 * for it is refused. A channel whose conversations really are shared between users (an agent
 * taking over, a group chat) says so with {@code sharedConversations: true}: its events may
 * continue a conversation another user started (the newcomer gets a fresh session, never the
 * previous user's profile or slots). Erasing is never shared: an ERASE only erases what belongs
 * to the user asking.
 *
 * @param sharedConversations the channels that share conversations between users
 */
public record ChannelSettings(Set<String> sharedConversations) {

    /** The key of a channel's entry that declares shared conversations. */
    public static final String SHARED_CONVERSATIONS = "sharedConversations";

    /** No channel shares conversations. */
    public static final ChannelSettings DEFAULTS = new ChannelSettings(Set.of());

    /** The keys of a channel's entry, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("channels.<channel>", "What a channel is allowed beyond the default")
            .key(SHARED_CONVERSATIONS, "boolean", "false",
                    "let this channel's events continue conversations another user started (agent hand-over, group chats)");

    public ChannelSettings {
        sharedConversations = Set.copyOf(sharedConversations);
    }

    /** Reads {@code key} of {@code root}; an entry with a key other than the known ones fails, named. */
    static ChannelSettings read(ConfigSection root, String key) {
        Set<String> shared = new TreeSet<>();
        for (Map.Entry<String, ConfigSection> channel : root.sectionMap(key).entrySet()) {
            ConfigSection entry = channel.getValue();
            if (entry.bool(SHARED_CONVERSATIONS, false)) {
                shared.add(channel.getKey());
            }
            entry.allowOnly(KEYS);
        }
        return new ChannelSettings(shared);
    }

    /** Whether events of {@code channel} may continue a conversation another user started. */
    public boolean sharesConversations(String channel) {
        return channel != null && sharedConversations.contains(channel);
    }

    /** These settings with {@code channel} sharing conversations. */
    public ChannelSettings withSharedConversations(String channel) {
        Set<String> shared = new TreeSet<>(sharedConversations);
        shared.add(channel);
        return new ChannelSettings(shared);
    }
}
