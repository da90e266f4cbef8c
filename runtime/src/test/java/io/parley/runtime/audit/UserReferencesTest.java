package io.parley.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.runtime.Secret;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Behaviour 13 (users): with pseudonymisation on, the audit stream refers to users by a keyed hash. */
class UserReferencesTest {

    private static final Secret KEY = Secret.of("a-very-secret-audit-key");

    @Test
    void pseudonymIsTheHmacSha256OfTheUserIdUnderTheKey() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("alice".getBytes(StandardCharsets.UTF_8)));

        assertThat(UserReferences.pseudonymised(KEY).of("alice")).isEqualTo(expected).doesNotContain("alice");
    }

    @Test
    void sameUserSameReferenceOtherUserOtherReference() {
        UserReferences references = UserReferences.pseudonymised(KEY);

        assertThat(references.of("alice")).isEqualTo(references.of("alice")).isNotEqualTo(references.of("bob"));
    }

    @Test
    void anotherKeyGivesAnotherReference() {
        assertThat(UserReferences.pseudonymised(KEY).of("alice"))
                .isNotEqualTo(UserReferences.pseudonymised(Secret.of("another-secret-audit-key")).of("alice"));
    }

    @Test
    void withoutPseudonymisationTheUserIdIsTheReference() {
        assertThat(UserReferences.plain().of("alice")).isEqualTo("alice");
    }
}
