package io.parley.processor.conversation;

import io.parley.processor.flow.MuteAction;
import io.parley.schemas.MuteCommand;
import io.parley.schemas.state.Session;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The mute command an intent's {@code mute:} action gives for the alert the conversation holds
 * ({@link AlertContext}): keyed by the alert's device, for the trigger-rules step, which applies it only when the
 * commanding user owns the device. Functional: no state; the clock is the caller's {@code now}.
 */
final class AlertMutes {

    private AlertMutes() {
    }

    /**
     * The command, or empty when the conversation holds no alert (the intent's reply says so, guarded by
     * {@code {{^alert.rule}}}).
     *
     * @param eventId the chat event that asked, for the command's deterministic id
     */
    static Optional<MuteCommand> command(Session session, MuteAction mute, String eventId, long now) {
        Map<String, String> alert = session.getAlert();
        String deviceId = alert == null ? null : alert.get("device.id");
        if (deviceId == null || deviceId.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(MuteCommand.newBuilder()
                .setCommandId("mute/" + eventId)
                .setDeviceId(deviceId)
                .setUserId(session.getUserId())
                .setRule(mute.scope() == MuteAction.Scope.RULE ? alert.get("rule") : null)
                .setMutedUntil(Instant.ofEpochMilli(now).plus(mute.duration()))
                .setAlertId(alert.get("id"))
                .setConversationId(session.getConversationId())
                .setCreatedAt(Instant.ofEpochMilli(now))
                .build());
    }
}
