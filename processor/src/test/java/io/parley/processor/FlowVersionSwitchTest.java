package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.processor.audit.AuditTrail;
import io.parley.processor.config.ConversationSettings;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSets;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.reload.FlowVersions;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.FlowSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 part 2 on the real topology: a turn finishes on the flow version it started with, the next
 * turn uses the newest version the processor has read, and publishing an older version again rolls back.
 */
class FlowVersionSwitchTest {

    private static final String STOCK = "{\"available\": 3}";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FlowVersions versions = FlowVersions.changing(FlowVersions.DEFAULT_KEEP, List.of(), meters);
    private final FlowCatalog v1 = published("v1.yaml");
    private final FlowCatalog v2 = published("v2.yaml");
    private ProcessorDriver driver;

    @AfterEach
    void close() {
        driver.close();
    }

    private ProcessorDriver start() {
        driver = ProcessorDriver.versioned(versions, "flows/hotreload/v1.yaml");
        return driver;
    }

    @Test
    void turnWaitingForACallFinishesOnItsVersionAndTheNextTurnUsesTheNewOne() {
        // Given a turn on v1 waiting for its backend call
        versions.offer(v1);
        start();
        driver.say("stock 11");
        BackendRequest first = driver.request();

        // When v2 is published while the call is out, and the call answers
        assertThat(versions.offer(v2)).isEqualTo(FlowVersions.Outcome.APPLIED);
        driver.answer(first, STOCK);

        // Then the turn finishes on v1, and the next turn runs on v2
        assertThat(driver.reply().getText()).isEqualTo("v1: 3 of 11 in stock");
        driver.say("stock 12");
        driver.answer(driver.request(), STOCK);
        assertThat(driver.reply().getText()).isEqualTo("v2: 3 of 12 in stock");
    }

    @Test
    void turnWaitingForASlotFinishesOnItsVersion() {
        // Given a turn on v1 that asked for a slot
        versions.offer(v1);
        start();
        driver.say("stock");
        assertThat(driver.reply().getText()).isEqualTo("v1: which product?");

        // When v2 is published and the user answers the question
        versions.offer(v2);
        driver.say("42");
        driver.answer(driver.request(), STOCK);

        // Then the answer is v1's
        assertThat(driver.reply().getText()).isEqualTo("v1: 3 of 42 in stock");
        assertThat(driver.session(ProcessorDriver.CONVERSATION).getTurn()).isNull();
    }

    @Test
    void everyAuditRecordOfATurnNamesTheVersionItRanOn() {
        versions.offer(v1);
        start();
        driver.say("stock 11");
        BackendRequest first = driver.request();
        versions.offer(v2);
        driver.answer(first, STOCK);
        driver.reply();
        List<AuditEvent> firstTurn = driver.audit();

        driver.say("stock 12");
        driver.answer(driver.request(), STOCK);
        driver.reply();
        List<AuditEvent> secondTurn = driver.audit();

        assertThat(firstTurn).extracting(AuditEvent::getKind).contains(AuditKind.INTENT, AuditKind.REPLY);
        assertThat(firstTurn).allSatisfy(a -> assertThat(a.getAttributes()).containsEntry(AuditTrail.FLOW_VERSION, v1.version()));
        assertThat(secondTurn).extracting(AuditEvent::getKind).contains(AuditKind.INTENT, AuditKind.REPLY);
        assertThat(secondTurn).allSatisfy(a -> assertThat(a.getAttributes()).containsEntry(AuditTrail.FLOW_VERSION, v2.version()));
    }

    @Test
    void publishingTheOlderVersionAgainRollsBack() {
        // Given v2 active after v1
        versions.offer(v1);
        versions.offer(v2);
        start();

        // When v1 is published again
        assertThat(versions.offer(v1)).isEqualTo(FlowVersions.Outcome.APPLIED);

        // Then new turns run on v1
        driver.say("stock 5");
        driver.answer(driver.request(), STOCK);
        assertThat(driver.reply().getText()).isEqualTo("v1: 3 of 5 in stock");
        assertThat(versions.newest()).map(FlowCatalog::version).contains(v1.version());
    }

    @Test
    void aRefusedVersionLeavesTheActiveOneAndIsLoggedAndCounted() {
        FlowVersions checked = FlowVersions.changing(FlowVersions.DEFAULT_KEEP, List.of(flows -> {
            if (flows.version().startsWith("set@2")) {
                throw new IllegalStateException("declares tables [stock] but the processor reads []");
            }
        }), meters);
        checked.offer(v1);

        try (LogCapture logs = LogCapture.of(FlowVersions.class.getName())) {
            assertThat(checked.offer(v2)).isEqualTo(FlowVersions.Outcome.REFUSED);
            assertThat(logs.warnings()).singleElement().asString()
                    .contains(v2.version()).contains(v1.version()).contains("declares tables [stock]");
        }
        assertThat(checked.newest()).map(FlowCatalog::version).contains(v1.version());
        assertThat(meters.counter("parley.flows.versions", "outcome", "refused").count()).isEqualTo(1.0);
        driver = ProcessorDriver.versioned(checked, "flows/hotreload/v1.yaml");
        driver.say("stock 1");
        driver.answer(driver.request(), STOCK);
        assertThat(driver.reply().getText()).startsWith("v1:");
    }

    private static FlowCatalog published(String file) {
        FlowSet set = FlowSets.of("set", FlowSets.read(List.of(FlowSource.classpath("flows/hotreload/" + file))),
                Optional.of("ci"), Optional.empty(), Instant.parse("2026-12-04T10:00:00Z"));
        return FlowSets.load(new FlowLoader(new TemplateCompiler(64 * 1024), ConversationSettings.DEFAULTS.timing()), set);
    }
}
