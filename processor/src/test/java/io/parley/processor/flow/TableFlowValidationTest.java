package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley flows validate} and the processor's start on tables, lookups and entities. */
class TableFlowValidationTest {

    private static final FlowLoader LOADER = new FlowLoader(new TemplateCompiler(),
            new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true));
    private static final String FILE = "classpath:flows/invalid/table-lookups.yaml";

    @TempDir
    Path temp;

    private FlowSource inline(String flow) throws IOException {
        return FlowSource.file(Files.writeString(temp.resolve("inline.yaml"), flow));
    }

    @Test
    void unknownTablesIndexesSlotsAndEntitiesAreEachReportedWithTheirPosition() {
        List<String> lines = LOADER.check(List.of(FlowSource.classpath("flows/invalid/table-lookups.yaml")), Optional.empty())
                .stream().map(FlowProblem::line).toList();

        assertThat(lines).containsExactlyInAnyOrder(
                FILE + ":14:9 intents[stock-check].slots.sku.entity: table 'stock' declares no name columns ('names:'), so no"
                        + " phrase can name one of its rows",
                FILE + ":17:11 intents[stock-check].steps[0].lookup.table: unknown table 'stok'; declared tables are [stock]"
                        + " (declare it under 'tables:')",
                FILE + ":21:11 intents[stock-check].steps[1].lookup.index: table 'stock' has no index 'colour'; its indexes are"
                        + " [category]",
                FILE + ":22:11 intents[stock-check].steps[1].lookup.key: uses slot 'colour', which is not defined; defined slots"
                        + " are [sku]");
    }

    @Test
    void theProcessorRefusesTheSameFileWithItsFirstProblemOnOneLine() {
        assertThatThrownBy(() -> LOADER.load(List.of(FlowSource.classpath("flows/invalid/table-lookups.yaml"))))
                .isInstanceOf(ConfigException.class)
                .message().doesNotContain("\n").contains("table-lookups.yaml").contains("intents[stock-check]");
    }

    @Test
    void aPhraseNamingTwoValuesOfAnEntityIsRefused() throws IOException {
        String flow = """
                entities:
                  size:
                    - {value: L, synonyms: [large, big]}
                    - {value: XL, synonyms: [Big]}
                intents:
                  - name: tee
                    keywords: tee
                    slots:
                      size:
                        prompt: Which size?
                        entity: size
                    reply: "Size {{slots.size}}"
                """;

        assertThat(LOADER.check(List.of(inline(flow)), Optional.empty()))
                .extracting(FlowProblem::line).singleElement().asString()
                .contains("entities.size[1].synonyms: the phrase 'big' already names 'L'; a phrase may name one value only");
    }

    @Test
    void aStepWithCallsAndALookupIsRefused() throws IOException {
        String flow = """
                connectors:
                  shop-api: [getStoreHours]
                tables:
                  stock: {topic: shop.stock, key: sku}
                intents:
                  - name: hours
                    keywords: hours
                    steps:
                      - lookup: {table: stock, key: MUG-01}
                        calls:
                          hours: {connector: shop-api, operation: getStoreHours}
                    reply: "{{results.hours.opens}}"
                """;

        assertThat(LOADER.check(List.of(inline(flow)), Optional.empty()))
                .extracting(FlowProblem::line)
                .anySatisfy(line -> assertThat(line).contains("steps[0].lookup: a step has calls or a lookup, not both"));
    }
}
