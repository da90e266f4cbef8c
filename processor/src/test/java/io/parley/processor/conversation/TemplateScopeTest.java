package io.parley.processor.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.TemplateModel;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flow checks refuse template names outside {@link TemplateModel}: the scope must offer exactly those. */
class TemplateScopeTest {

    @Test
    void theScopeOffersTheNamesTheFlowChecksAccept() {
        Session session = Session.newBuilder()
                .setConversationId("c-1").setUserId("u-1").setChannel("web").setLocale("en").setFlowVersion("v1")
                .setProfile(new LinkedHashMap<>()).setTurn(null).setLateTurns(new ArrayList<>()).setRecentTurns(new ArrayList<>())
                .setStartedAt(Instant.EPOCH).setLastActiveAt(Instant.EPOCH).build();
        Turn turn = Turn.newBuilder().setEventId("e-1").setIntent("order-status").setSlots(new LinkedHashMap<>())
                .setResults(new LinkedHashMap<>()).setFailures(new LinkedHashMap<>()).setPending(new ArrayList<>())
                .setStartedAt(Instant.EPOCH).build();

        Map<String, Object> scope = TemplateScope.of(session, turn);

        // 'error' is added for error replies only (TurnEndings).
        assertThat(scope.keySet()).containsExactlyInAnyOrderElementsOf(
                TemplateModel.ROOTS.stream().filter(root -> !root.equals(TemplateModel.ERROR)).toList());
        assertThat(((Map<?, ?>) scope.get("user")).keySet().stream().map(String::valueOf).toList()).containsExactlyInAnyOrderElementsOf(TemplateModel.USER_FIELDS);
        assertThat(((Map<?, ?>) scope.get("conversation")).keySet().stream().map(String::valueOf).toList()).containsExactlyInAnyOrderElementsOf(TemplateModel.CONVERSATION_FIELDS);
    }
}
