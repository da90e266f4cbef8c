package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A flow set split into files (one per intent group) with texts declared once under {@code shared:} and used
 * from any file's templates as {@code {{shared.<name>}}}; each rule has a failing example under flows/invalid.
 */
class SharedTextsTest {

    private static final FlowLoader LOADER = new FlowLoader(new TemplateCompiler(),
            new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true));
    private static final String DIR = "classpath:flows/invalid/";

    @Test
    void aSetSplitIntoFilesUsesTheSharedTextsOfAnotherFile() {
        // Given the common file with shared texts and an intent file that uses them
        FlowCatalog flows = LOADER.load(sources("flows/split/common.yaml", "flows/split/orders.yaml"));

        // Then templates of either file render them, with template names inside a shared text filled in
        IntentDefinition order = flows.intent("order-status").orElseThrow();
        assertThat(order.reply().source()).endsWith("— your shop team");
        assertThat(flows.texts().noMatch().source()).isEqualTo("Sorry, I didn't get that. We answer from 9:00 to 18:00, {{user.id}}.");
        assertThat(flows.version()).isEqualTo("common.yaml@7,orders.yaml@7");
    }

    @Test
    void aSharedTextThatIsNotDeclaredIsFound() {
        assertThat(lines("shared-unknown.yaml")).singleElement().asString()
                .startsWith(DIR + "shared-unknown.yaml:7:5 intents[hello].reply: uses shared text 'signatur', which is not declared;"
                        + " declared shared texts are [signature]");
    }

    @Test
    void aSharedTextNoTemplateUsesIsFound() {
        assertThat(lines("shared-unused.yaml")).singleElement().asString()
                .startsWith(DIR + "shared-unused.yaml:3:3 shared.signature: shared text 'signature' is not used by any template");
    }

    @Test
    void aSharedTextUsingAnotherIsFound() {
        assertThat(lines("shared-nested.yaml")).singleElement().asString()
                .startsWith(DIR + "shared-nested.yaml:4:3 shared.footer: a shared text cannot use another shared text");
    }

    @Test
    void aSharedTextDeclaredInTwoFilesIsFound() {
        assertThat(lines("shared-twice-a.yaml", "shared-twice-b.yaml")).singleElement().asString()
                .startsWith(DIR + "shared-twice-b.yaml:3:3 shared.signature: shared text 'signature' is already declared in "
                        + DIR + "shared-twice-a.yaml: shared.signature");
    }

    @Test
    void aSharedTextNameThatIsNotANameIsFound() {
        assertThat(lines("shared-bad-name.yaml")).singleElement().asString()
                .startsWith(DIR + "shared-bad-name.yaml:3:3 shared.sign-off: a shared text's name must be letters and digits");
    }

    private static List<FlowSource> sources(String... resources) {
        return Arrays.stream(resources).map(FlowSource::classpath).toList();
    }

    private static List<String> lines(String... files) {
        return LOADER.check(Arrays.stream(files).map(f -> FlowSource.classpath("flows/invalid/" + f)).toList(), Optional.empty())
                .stream().map(FlowProblem::line).toList();
    }

}
