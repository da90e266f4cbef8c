package io.parley.local.chat;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.Notification;
import io.parley.schemas.NotificationPriority;
import io.parley.schemas.TelemetryEvent;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One conversation of the console chat: who types, in which conversation and channel. Builds
 * the events the console produces, stamped by the injected clock and with fresh ids.
 */
final class ConsoleSession {

    private final String userId;
    private final String conversationId;
    private final String channel;
    private final Clock clock;
    private final Supplier<String> ids;

    ConsoleSession(String userId, String conversationId, String channel, Clock clock, Supplier<String> ids) {
        this.userId = userId;
        this.conversationId = conversationId;
        this.channel = channel;
        this.clock = clock;
        this.ids = ids;
    }

    String userId() {
        return userId;
    }

    String conversationId() {
        return conversationId;
    }

    ChatEvent sessionStart() {
        return event(ChatEventType.SESSION_START, null);
    }

    ChatEvent message(String text) {
        return event(ChatEventType.MESSAGE, text);
    }

    ChatEvent erase() {
        return event(ChatEventType.ERASE, null);
    }

    /** A notification for this user, left to the processor to deliver on the user's latest channel. */
    Notification notification(String text) {
        return Notification.newBuilder()
                .setNotificationId(ids.get())
                .setUserId(userId)
                .setText(text)
                .setPriority(NotificationPriority.NORMAL)
                .setCreatedAt(clock.instant())
                .build();
    }

    /** A measurement from a device, taken now; its id is fresh, so typing it twice is two measurements. */
    TelemetryEvent telemetry(String deviceId, String metric, double value) {
        return TelemetryEvent.newBuilder()
                .setEventId(ids.get())
                .setDeviceId(deviceId)
                .setMetric(metric)
                .setValue(value)
                .setEventTime(clock.instant())
                .setAttributes(Map.of("source", "console"))
                .build();
    }

    private ChatEvent event(ChatEventType type, String text) {
        return ChatEvent.newBuilder()
                .setEventId(ids.get())
                .setConversationId(conversationId)
                .setUserId(userId)
                .setChannel(channel)
                .setType(type)
                .setText(text)
                .setPayload(Map.of())
                .setOccurredAt(clock.instant())
                .build();
    }
}
