package io.parley.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A flood of refused calls without a token writes a bounded number of audit records and says how many it left out. */
class RefusalBudgetTest {

    private static final Instant SECOND = Instant.parse("2026-12-04T23:00:00Z");

    @Test
    void atMostTheBudgetIsAdmittedEachSecondAndTheNextAdmittedOneCountsTheRest() {
        RefusalBudget budget = new RefusalBudget(3);

        // When 10 refusals come within one second
        List<OptionalLong> first = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> budget.admit(SECOND.plusMillis(i * 50L))).toList();

        // Then 3 are admitted, none skipped before them, and 7 are counted
        assertThat(first.stream().filter(OptionalLong::isPresent).map(OptionalLong::getAsLong)).containsExactly(0L, 0L, 0L);
        // And the first of the next second says 7 went unaudited, the second none
        assertThat(budget.admit(SECOND.plusSeconds(1))).hasValue(7);
        assertThat(budget.admit(SECOND.plusSeconds(1).plusMillis(10))).hasValue(0);
    }

    @Test
    void theRecordAfterAFloodSaysHowManyRefusalsWentUnaudited() {
        ToolAudit audit = new ToolAudit(new Redactor(), UserReferences.plain());
        ToolAudit.Refused refused = new ToolAudit.Refused(ToolAudit.Refusal.UNAUTHENTICATED, "no bearer token", "get_order",
                Optional.empty(), Optional.empty(), "mcp:stateless", List.of("orderId"), SECOND);

        AuditEvent after = audit.refusal(refused, 7);
        AuditEvent quiet = audit.refusal(refused, 0);

        assertThat(after.getAttributes()).containsEntry("unauditedBefore", "7").containsEntry("refusal", "UNAUTHENTICATED");
        assertThat(quiet.getAttributes()).doesNotContainKey("unauditedBefore");
    }
}
