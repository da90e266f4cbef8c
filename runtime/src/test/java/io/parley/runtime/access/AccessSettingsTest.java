package io.parley.runtime.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AccessSettingsTest {

    @Test
    void anAbsentSectionConfiguresNothingAndLeavesMetricsAndHealthOpen() {
        AccessSettings settings = AdminServerAccessTest.settings("other: 1\n");
        assertThat(settings.configured()).isFalse();
        assertThat(settings.openMetrics()).isTrue();
        assertThat(settings.openHealth()).isTrue();
    }

    @Test
    void badEntriesAreOneLineNamingFileEntryAndFieldWithoutTheSecret() {
        assertThatThrownBy(() -> AdminServerAccessTest.settings("access:\n  tokens:\n    - {name: bob, token: short-secret, role: viewer}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("processor.yaml: access.tokens[bob].token: is too short; use at least 16 characters of random text");
        assertThatThrownBy(() -> AdminServerAccessTest.settings("access:\n  tokens:\n    - {name: bob, token: 0123456789abcdefgh, role: admin}\n"))
                .hasMessage("processor.yaml: access.tokens[bob].role: 'admin' is not a role; use viewer or operator");
        assertThatThrownBy(() -> AdminServerAccessTest.settings("access:\n  tokens:\n    - {name: bob, token: 0123456789abcdefgh, role: viewer}\n"
                + "    - {name: bob, token: 0123456789abcdefgi, role: viewer}\n"))
                .hasMessageContaining("access.tokens[bob].name: 'bob' is used by another token");
        assertThatThrownBy(() -> AdminServerAccessTest.settings("access:\n  oidc: {issuer: x, audience: y}\n"))
                .hasMessage("processor.yaml: access.oidc: needs exactly one of jwksUrl or publicKey");
        assertThatThrownBy(() -> AdminServerAccessTest.settings("access:\n  oidc: {publicKey: nonsense!, issuer: x, audience: y}\n"))
                .hasMessageStartingWith("processor.yaml: access.oidc.publicKey: not ");
        assertThatThrownBy(() -> AdminServerAccessTest.settings("access:\n  oidc: {jwksUrl: 'http://x/jwks', issuer: x, audience: y, roles: {g: root}}\n"))
                .hasMessage("processor.yaml: access.oidc.roles.g: 'root' is not a role; use viewer or operator");
        assertThatThrownBy(() -> AdminServerAccessTest.settings("access:\n  tokenz: []\n"))
                .hasMessageStartingWith("processor.yaml: access.tokenz: unknown key");
    }
}
