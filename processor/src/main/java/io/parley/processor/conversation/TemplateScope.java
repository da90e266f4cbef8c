package io.parley.processor.conversation;

import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What flow templates can see: {@code user} (id, channel, locale — from the authenticated event,
 * never from message text), {@code conversation.id}, {@code profile}, {@code slots},
 * {@code results} (each call's JSON result), {@code failed} (each failed call's status) and {@code alert}
 * (the latest trigger-rule alert delivered in the conversation, see {@link AlertContext}).
 */
final class TemplateScope {

    private TemplateScope() {
    }

    static Map<String, Object> of(Session session, Turn turn) {
        Map<String, Object> scope = new HashMap<>();
        Map<String, Object> user = new HashMap<>();
        user.put("id", session.getUserId());
        user.put("channel", session.getChannel());
        if (session.getLocale() != null) {
            user.put("locale", session.getLocale());
        }
        scope.put("user", user);
        scope.put("conversation", Map.of("id", session.getConversationId()));
        scope.put("profile", new HashMap<>(session.getProfile()));
        scope.put("alert", AlertContext.scope(session.getAlert()));
        if (turn != null) {
            scope.put("slots", new HashMap<>(turn.getSlots()));
            Map<String, Object> results = new LinkedHashMap<>();
            turn.getResults().forEach((call, json) -> results.put(call, ResultJson.parse(call, json)));
            scope.put("results", results);
            Map<String, Object> failed = new HashMap<>();
            // failed.<call>.status is the status; failed.<call>.NOT_FOUND (or any status) is true, so a
            // reply can say what went wrong with one call of a parallel step: {{#failed.inventory.NOT_FOUND}}.
            turn.getFailures().forEach((call, status) -> failed.put(call, Map.of("status", status, status, true)));
            scope.put("failed", failed);
            if (turn.getIntent() != null) {
                scope.put("intent", turn.getIntent());
            }
        }
        return scope;
    }
}
