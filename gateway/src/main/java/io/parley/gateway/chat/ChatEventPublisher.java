package io.parley.gateway.chat;

import io.parley.schemas.ChatEvent;
import java.util.concurrent.CompletionStage;

/** Where chat events go: {@code chat.events}, keyed by conversation id. */
public interface ChatEventPublisher {

    /** Sends the event; completes when Kafka has it, exceptionally when it could not be produced. */
    CompletionStage<Void> publish(ChatEvent event);
}
