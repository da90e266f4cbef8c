package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.runtime.audit.UserReferences;
import io.parley.processor.config.AuditSettings;
import io.parley.runtime.Secret;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour 13 (end to end): the audit records of a conversation carry masked text and pseudonymised users. */
class AuditRedactionTest {

    private static final Secret KEY = Secret.of("a-very-secret-audit-key");

    @Test
    void inboundAndReplyTextIsMaskedAndTheUserIsPseudonymised() {
        try (ProcessorDriver driver = ProcessorDriver.with(config -> config.audit(AuditSettings.pseudonymized(KEY)),
                "flows/demo-shop.yaml")) {
            driver.say("my card is 4111 1111 1111 1111, mail alice@example.com");
            // the turn ends (audit.mode turn writes it then): its deadline passes
            driver.advance(java.time.Duration.ofSeconds(30));

            List<AuditEvent> audit = driver.audit();

            AuditEvent inbound = audit.stream().filter(a -> a.getKind() == AuditKind.INBOUND).findFirst().orElseThrow();
            assertThat(inbound.getText()).isEqualTo("my card is [card], mail [email]");
            assertThat(audit).allSatisfy(event -> {
                assertThat(event.getUserRef()).isEqualTo(UserReferences.pseudonymised(KEY).of(ProcessorDriver.USER));
                assertThat(event.toString()).doesNotContain("4111").doesNotContain("alice@");
            });
        }
    }
}
