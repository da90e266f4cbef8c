package io.parley.serde;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Notification;
import io.parley.schemas.NotificationPriority;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;
import io.parley.schemas.state.UserContact;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated record of every schema, for round trips. */
final class SampleRecords {

    static final Instant AT = Instant.parse("2026-11-24T10:15:30.123Z");

    private SampleRecords() {
    }

    static ChatEvent chatEvent() {
        return ChatEvent.newBuilder()
                .setEventId("evt-1").setConversationId("conv-1").setUserId("alice").setChannel("web")
                .setType(ChatEventType.MESSAGE).setText("where is my order 1001")
                .setPayload(Map.of("button", "orders")).setLocale("en-GB").setOccurredAt(AT)
                .build();
    }

    static List<SpecificRecord> everySchema() {
        return List.of(
                chatEvent(),
                ChatReply.newBuilder()
                        .setReplyId("rep-1").setConversationId("conv-1").setUserId("alice").setChannel("web")
                        .setInReplyTo("evt-1").setKind(ReplyKind.ANSWER).setText("Order 1001 has shipped.")
                        .setQuickReplies(List.of("Track it", "Thanks")).setData(Map.of("orderId", "1001"))
                        .setCreatedAt(AT).build(),
                BackendRequest.newBuilder()
                        .setRequestId("evt-1:0:0").setConversationId("conv-1").setUserId("alice").setEventId("evt-1")
                        .setConnector("shop-api").setOperation("getOrder").setParams(Map.of("orderId", "1001"))
                        .setDeadline(AT.plusSeconds(10)).setAttempt(1).setCreatedAt(AT).build(),
                BackendResponse.newBuilder()
                        .setRequestId("evt-1:0:0").setConversationId("conv-1").setConnector("shop-api")
                        .setOperation("getOrder").setStatus(BackendStatus.OK).setResult("{\"status\":\"SHIPPED\"}")
                        .setError(null).setLatencyMs(42).setAttempts(1).setCompletedAt(AT).build(),
                Notification.newBuilder()
                        .setNotificationId("n-1").setUserId("alice").setChannel(null).setText(null)
                        .setTemplate("Your order {{orderId}} is out for delivery").setData(Map.of("orderId", "1001"))
                        .setPriority(NotificationPriority.HIGH).setExpiresAt(AT.plusSeconds(3600)).setCreatedAt(AT)
                        .build(),
                AuditEvent.newBuilder()
                        .setAuditId("aud-1").setConversationId("conv-1").setUserRef("u-3f2a").setKind(AuditKind.REPLY)
                        .setOccurredAt(AT).setChannel("web").setEventId("evt-1").setRequestId(null).setIntent("order_status")
                        .setConnector(null).setOperation(null).setStatus("ANSWER").setLatencyMs(120L)
                        .setText("mail me at ***").setAttributes(Map.of("kind", "ANSWER")).build(),
                Session.newBuilder()
                        .setConversationId("conv-1").setUserId("alice").setChannel("web").setLocale("en-GB")
                        .setFlowVersion("demo-shop@1").setProfile(Map.of("name", "Alice"))
                        .setTurn(Turn.newBuilder()
                                .setEventId("evt-1").setIntent("order_status").setClassifying(false).setText(null).setSlots(Map.of("orderId", "1001"))
                                .setAwaitingSlot(null).setSlotAttempts(0).setStepIndex(0)
                                .setResults(Map.of()).setFailures(Map.of())
                                .setPending(List.of(PendingCall.newBuilder()
                                        .setRequestId("evt-1:0:0").setCall("order").setConnector("shop-api")
                                        .setOperation("getOrder").setStep(0).setDeadline(AT.plusSeconds(10))
                                        .setIssuedAt(AT).build()))
                                .setStartedAt(AT).setDeadline(AT.plusSeconds(10)).setInterimAt(AT.plusSeconds(2))
                                .setInterimSent(false).build())
                        .setLateTurns(List.of(Turn.newBuilder()
                                .setEventId("evt-0").setIntent("stock_check").setStartedAt(AT).build()))
                        .setRecentTurns(List.of(TurnSummary.newBuilder()
                                .setEventId("evt-0").setIntent("greeting").setOutcome("ANSWER").setAt(AT).build()))
                        .setStartedAt(AT).setLastActiveAt(AT).build(),
                UserContact.newBuilder()
                        .setUserId("alice").setConversationId("conv-1").setChannel("web").setLocale(null)
                        .setLastSeenAt(AT).build());
    }
}
