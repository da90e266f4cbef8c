package io.parley.processor.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.SealedParts;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The bound that spares encoding a session is never below its size, so fits() answers as the encoded size would. */
class SessionSizeTest {

    private static final Instant AT = Instant.parse("2026-12-04T20:00:00Z");

    @Property(tries = 300)
    void theBoundIsNeverBelowTheEncodedSize(@ForAll("texts") List<String> texts, @ForAll @IntRange(max = 6) int turns,
            @ForAll boolean sealed) {
        // Given a session with values of any length and alphabet (ASCII, accents, CJK, emoji)
        Session session = session(texts, turns, sealed);

        // When it is measured both ways
        int bytes = SessionSize.bytes(session);
        long bound = SessionSize.upperBound(session);

        // Then the bound is at least the size, and fits() agrees with the size at and around the limit
        assertThat(bound).isGreaterThanOrEqualTo(bytes);
        for (long limit : new long[] {bytes - 1, bytes, bytes + 1, bound - 1, bound}) {
            assertThat(SessionSize.fits(session, (int) limit)).as("limit %d, size %d", limit, bytes).isEqualTo(bytes <= limit);
        }
    }

    @Provide
    Arbitrary<List<String>> texts() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(200),
                Arbitraries.strings().withChars("äöüßéñ你好世界").ofMaxLength(200),
                Arbitraries.strings().withChars("\uD83D\uDE00\uD83C\uDF89ab").ofMaxLength(200)
                        .filter(s -> !Character.isHighSurrogate(s.isEmpty() ? 'a' : s.charAt(s.length() - 1))));
        return text.list().ofMinSize(6).ofMaxSize(20);
    }

    private static Session session(List<String> texts, int turns, boolean sealed) {
        Map<String, String> profile = new LinkedHashMap<>();
        for (int i = 0; i + 1 < texts.size(); i += 2) {
            profile.put(texts.get(i), texts.get(i + 1));
        }
        List<Turn> late = new ArrayList<>();
        List<TurnSummary> recent = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            late.add(turn("late-" + i, texts));
            recent.add(TurnSummary.newBuilder().setEventId("done-" + i).setIntent(texts.get(i % texts.size()))
                    .setOutcome("ANSWERED").setAt(AT).build());
        }
        Session.Builder session = Session.newBuilder()
                .setConversationId(texts.get(0)).setUserId(texts.get(1)).setChannel("web").setLocale(texts.get(2))
                .setProfile(profile)
                .setTurn(turns % 2 == 0 ? null : turn("now", texts))
                .setLateTurns(late).setRecentTurns(recent)
                .setAlert(Map.of("device.id", texts.get(3)))
                .setStartedAt(AT).setLastActiveAt(AT).setExpiryIndexedAt(turns % 3 == 0 ? null : AT);
        if (sealed) {
            session.setSealed(SealedParts.newBuilder().setKeyId("k1").setWrappedKey(ByteBuffer.wrap(new byte[40]))
                    .setNonce(ByteBuffer.wrap(new byte[12])).setCiphertext(ByteBuffer.wrap(texts.get(4).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .build());
        }
        return session.build();
    }

    private static Turn turn(String eventId, List<String> texts) {
        return Turn.newBuilder().setEventId(eventId).setIntent(texts.get(5)).setText(texts.get(4))
                .setSlots(Map.of("order", texts.get(3))).setResults(Map.of("order", texts.get(2)))
                .setPending(List.of(PendingCall.newBuilder().setRequestId(eventId + ":0:0").setCall("order")
                        .setConnector("shop-api").setOperation("getOrder").setStep(0).setDeadline(AT.plusSeconds(8))
                        .setIssuedAt(AT).build()))
                .setStartedAt(AT).setDeadline(AT.plusSeconds(10)).build();
    }
}
