package io.parley.processor.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.config.ConversationSettings;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSets;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.schemas.FlowSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A published flow set: version names, fingerprints, and the processor-side checks of what it reads back. */
class FlowSetsTest {

    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");
    private final FlowLoader loader = new FlowLoader(new TemplateCompiler(), ConversationSettings.DEFAULTS.timing());

    private static FlowSet set(String version, String reply) {
        return FlowSets.of("shop", List.of(new FlowSets.File("main.yaml", "version: \"" + version + "\"\n"
                        + "intents:\n  - name: hello\n    keywords: [hello]\n    reply: \"" + reply + "\"\n")),
                Optional.of("ci"), Optional.of("build-1"), AT);
    }

    @Test
    void theVersionNamesTheDeclaredVersionAndTheContent() {
        FlowSet a = set("3", "Hi");
        FlowSet b = set("3", "Hello");

        assertThat(a.getVersion()).startsWith("shop@3+").hasSize("shop@3+".length() + 12);
        assertThat(b.getVersion()).startsWith("shop@3+").isNotEqualTo(a.getVersion());
        assertThat(set("3", "Hi").getVersion()).isEqualTo(a.getVersion());
        assertThat(a.getPublishedBy()).isEqualTo("ci");
    }

    @Test
    void aLoadedSetRunsUnderItsPublishedVersion() {
        FlowSet a = set("3", "Hi");
        assertThat(FlowSets.load(loader, a).version()).isEqualTo(a.getVersion());
    }

    @Test
    void aSetWhoseFilesChangedAfterPublishingIsRefused() {
        FlowSet a = set("3", "Hi");
        a.getFiles().get(0).setContent(a.getFiles().get(0).getContent().replace("Hi", "Ha"));

        assertThatThrownBy(() -> FlowSets.load(loader, a)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fingerprint does not match");
    }

    @Test
    void aSetWithAFlowProblemIsRefusedNamingTheSetAndFile() {
        FlowSet broken = set("4", "Hi {{usr.id}}");

        assertThatThrownBy(() -> FlowSets.load(loader, broken)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("shop/main.yaml");
    }

    @Test
    void twoFilesOfOneNameAreRefused() {
        assertThatThrownBy(() -> FlowSets.of("shop", List.of(new FlowSets.File("a.yaml", ""), new FlowSets.File("a.yaml", "")),
                Optional.empty(), Optional.empty(), AT)).isInstanceOf(ConfigException.class).hasMessageContaining("same name");
    }
}
