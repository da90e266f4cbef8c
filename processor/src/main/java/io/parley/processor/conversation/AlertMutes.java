package io.parley.processor.conversation;

import io.parley.processor.flow.MuteAction;
import io.parley.processor.flow.SpokenDuration;
import io.parley.schemas.MuteCommand;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.time.Duration;
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
     * @param turn the turn that asked: its event id makes the command's id, its message may say how long
     */
    static Optional<MuteCommand> command(Session session, MuteAction mute, Turn turn, long now) {
        Map<String, String> alert = session.getAlert();
        String deviceId = alert == null ? null : alert.get("device.id");
        if (deviceId == null || deviceId.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(MuteCommand.newBuilder()
                .setCommandId("mute/" + turn.getEventId())
                .setDeviceId(deviceId)
                .setUserId(session.getUserId())
                .setRule(mute.scope() == MuteAction.Scope.RULE ? alert.get("rule") : null)
                .setMutedUntil(Instant.ofEpochMilli(now).plus(mute.durationFor(turn.getText())))
                .setAlertId(alert.get("id"))
                .setConversationId(session.getConversationId())
                .setCreatedAt(Instant.ofEpochMilli(now))
                .build());
    }

    /**
     * What the reply can say of the command: {@code mute.for} ("3 hours"; empty for an unmute), {@code mute.until}
     * (ISO-8601), {@code mute.unmuted} (true for an unmute).
     */
    static Map<String, Object> scope(MuteCommand command) {
        Duration length = Duration.between(command.getCreatedAt(), command.getMutedUntil());
        boolean unmuted = length.isZero() || length.isNegative();
        return Map.of("for", unmuted ? "" : SpokenDuration.words(length), "until", command.getMutedUntil().toString(),
                "unmuted", unmuted);
    }
}
