package io.parley.gateway.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connection that records what the gateway sent it. */
final class RecordingConnection implements ChatConnection {

    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    volatile Integer closeCode;
    volatile String closeReason;

    @Override
    public void send(String frame) {
        frames.add(Frames.parse(frame));
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    List<String> replyTexts() {
        return frames.stream().filter(f -> f.path("type").asText().equals("reply")).map(f -> f.path("text").asText())
                .toList();
    }

    List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }
}
