package io.parley.processor.conversation;

import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What checking a session against {@code limits.maxSessionBytes} costs: encoding it against the bound computed
 * from its values (CPU time per check), for a session like S2's while its order call is pending.
 *
 * Not a test of speed (nothing here fails on a figure); not run by default (the name does not end in Test).
 * Run: {@code ./mvnw -B -pl processor -am verify -Dtest=SessionSizeCostProbe -Dsurefire.failIfNoSpecifiedTests=false}
 * The figures go to {@code processor/target/session-size-cost.md}.
 */
class SessionSizeCostProbe {

    private static final Instant AT = Instant.parse("2026-12-04T20:00:00Z");
    private static final int CHECKS_PER_ROUND = 200_000;
    private static final int ROUNDS = 5;
    private static final int LIMIT = 65_536;

    @Test
    void measure() throws IOException {
        Session session = s2Session();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "session: %d bytes encoded, bound %d%n%n| round | encode, µs CPU | bound first, µs CPU |%n|---|---|---|%n",
                SessionSize.bytes(session), SessionSize.upperBound(session)));
        for (int round = 1; round <= ROUNDS; round++) {
            long sink = 0;
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < CHECKS_PER_ROUND; i++) {
                sink += SessionSize.bytes(session) <= LIMIT ? 1 : 0;
            }
            long encoded = threads.getCurrentThreadCpuTime() - start;
            start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < CHECKS_PER_ROUND; i++) {
                sink += SessionSize.fits(session, LIMIT) ? 1 : 0;
            }
            long bounded = threads.getCurrentThreadCpuTime() - start;
            if (sink != 2L * CHECKS_PER_ROUND) {
                throw new IllegalStateException("the session should fit");
            }
            report.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f |%n", round,
                    encoded / 1_000.0 / CHECKS_PER_ROUND, bounded / 1_000.0 / CHECKS_PER_ROUND));
        }
        Files.writeString(Path.of("target", "session-size-cost.md"), report);
        System.out.print(report);
    }

    private static Session s2Session() {
        Turn turn = Turn.newBuilder().setEventId("evt-2").setIntent("order-status").setText("where is my order 1001")
                .setSlots(Map.of("orderId", "1001"))
                .setResults(Map.of("order", "{\"id\":\"1001\",\"status\":\"shipped\",\"eta\":\"2026-12-06\"}"))
                .setPending(List.of(PendingCall.newBuilder().setRequestId("evt-2:0:0").setCall("order").setConnector("shop-api")
                        .setOperation("getOrder").setStep(0).setDeadline(AT.plusSeconds(8)).setIssuedAt(AT).build()))
                .setStartedAt(AT).build();
        List<TurnSummary> recent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            recent.add(TurnSummary.newBuilder().setEventId("evt-" + i).setIntent("order-status").setOutcome("ANSWERED").setAt(AT).build());
        }
        return Session.newBuilder().setConversationId("conv-123456").setUserId("user-42").setChannel("web").setLocale("en")
                .setProfile(Map.of("name", "Alice")).setTurn(turn).setLateTurns(new ArrayList<>()).setRecentTurns(recent)
                .setStartedAt(AT).setLastActiveAt(AT).build();
    }
}
