package io.parley.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.ConnectorFiles;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ParsedConnector;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@code llm} connector entries are read: what they may say, and how a mistake is named. */
class LlmConnectorFilesTest {

    private final ConfigVariables variables = ConfigVariables.withStandardProviders();

    @AfterEach
    void close() {
        variables.close();
    }

    private List<ParsedConnector<?>> read(String entry) {
        return ConnectorFiles.read(List.of(YamlFiles.parse("llm.yaml", "connectors:\n  - " + entry)), variables);
    }

    @Test
    void aConnectorWithAModelAndBothTasksIsRead() {
        // Given an entry for a local Ollama server
        List<ParsedConnector<?>> connectors = read("{name: assistant, type: llm, baseUrl: 'http://localhost:11434/v1/', model: llama3.1, "
                + "operations: {classify: {task: classify}, phrase: {task: phrase, instructions: 'Be brief.', maxTokens: 80}}}");

        // Then the definition holds the model, the default temperature and each task
        LlmConnectorDefinition definition = (LlmConnectorDefinition) connectors.get(0).definition();
        assertThat(definition.model()).isEqualTo("llama3.1");
        assertThat(definition.temperature()).isZero();
        assertThat(definition.endpoint().url().toString()).isEqualTo("http://localhost:11434/v1");
        assertThat(definition.operations().get("classify").task()).isEqualTo(LlmTask.CLASSIFY);
        assertThat(definition.operations().get("phrase").instructions()).contains("Be brief.");
        assertThat(definition.operations().get("phrase").maxTokens()).contains(80);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no model       | {name: a, type: llm, baseUrl: 'https://api.example/v1', operations: {c: {task: classify}}}"
                    + "                        | llm.yaml: connectors[a].model:",
            "no task        | {name: a, type: llm, baseUrl: 'https://api.example/v1', model: m, operations: {c: {maxTokens: 5}}}"
                    + "                        | llm.yaml: connectors[a].operations[c].task: is required (classify or phrase)",
            "unknown task   | {name: a, type: llm, baseUrl: 'https://api.example/v1', model: m, operations: {c: {task: summarize}}}"
                    + "                        | llm.yaml: connectors[a].operations[c].task:",
            "hot model      | {name: a, type: llm, baseUrl: 'https://api.example/v1', model: m, temperature: 3, operations: {c: {task: phrase}}}"
                    + "                        | llm.yaml: connectors[a].temperature:",
            "http key       | {name: a, type: llm, baseUrl: 'https://api.example/v1', model: m, operations: {c: {task: phrase, path: /x}}}"
                    + "                        | llm.yaml: connectors[a].operations[c].path: unknown key",
            "zero tokens    | {name: a, type: llm, baseUrl: 'https://api.example/v1', model: m, operations: {c: {task: phrase, maxTokens: 0}}}"
                    + "                        | llm.yaml: connectors[a].operations[c].maxTokens:"})
    void mistakesAreNamedByFileConnectorOperationAndField(String mistake, String entry, String message) {
        assertThatThrownBy(() -> read(entry)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message.strip());
    }
}
