package io.parley.local.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.cli.NluEvaluateCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bots under examples/ work as their READMEs say: each bot's flows validate clean against its
 * own connector file ({@code parley flows validate --connectors}) and its conversation tests pass
 * ({@code parley flows test}, with a JUnit report under target/flow-tests/examples), and a bot's
 * classifier held-out set ({@code flows/*.nlu-test.yaml}) reaches 80 % ({@code parley nlu evaluate}).
 */
class ExampleBotsTest {

    /** Run from the module folder, as Maven does. */
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Path REPORTS = Path.of("target", "flow-tests", "examples");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void everyExampleBotsFlowsValidateAgainstItsConnectorFile() throws IOException {
        for (Path bot : bots()) {
            // Given a bot's flow files and connector file (secrets from the environment the build sets)
            List<String> arguments = new ArrayList<>(List.of("validate"));
            flowFiles(bot).forEach(file -> arguments.add(file.toString()));
            arguments.addAll(List.of("--connectors", bot.resolve("connectors.yaml").toString()));

            // When they are validated as the README says
            int exit = FlowsMain.commandLine(out).execute(arguments.toArray(String[]::new));

            // Then nothing is wrong
            assertThat(exit).as("%s: %s", bot.getFileName(), output()).isZero();
            assertThat(output()).contains("no problems");
        }
    }

    @Test
    void everyExampleBotsConversationTestsPass() throws IOException {
        for (Path bot : bots()) {
            // Given a bot's conversation tests
            List<String> arguments = new ArrayList<>(List.of("test"));
            List<Path> tests = testFiles(bot);
            assertThat(tests).as("%s has conversation tests", bot.getFileName()).isNotEmpty();
            tests.forEach(file -> arguments.add(file.toString()));
            arguments.addAll(List.of("--report", REPORTS.toString()));

            // When they run as the README says
            int exit = FlowsMain.commandLine(out).execute(arguments.toArray(String[]::new));

            // Then every one passes
            assertThat(exit).as("%s: %s", bot.getFileName(), output()).isZero();
            assertThat(output()).contains("tests passed").doesNotContain("FAIL");
        }
    }

    @Test
    void everyExampleBotsClassifierMeetsItsHeldOutTestSet() throws IOException {
        int evaluated = 0;
        for (Path bot : bots()) {
            for (Path testSet : files(bot, ".nlu-test.yaml")) {
                // Given a bot's flows and the held-out messages its classifier was not trained on
                List<String> arguments = new ArrayList<>(List.of("--tests", testSet.toString(), "--min-accuracy", "0.8"));
                flowFiles(bot).forEach(file -> arguments.addAll(List.of("--flows", file.toString())));
                bytes.reset();

                // When they are evaluated as the README says (parley nlu evaluate)
                // (the command prints its report on System.out, as the launcher runs it)
                PrintStream console = System.out;
                int exit;
                System.setOut(out);
                try {
                    exit = new CommandLine(new NluEvaluateCommand()).setErr(new PrintWriter(out, true))
                            .execute(arguments.toArray(String[]::new));
                } finally {
                    System.setOut(console);
                }

                // Then the accuracy is at or above the bar
                assertThat(exit).as("%s: %s", testSet.getFileName(), output()).isZero();
                assertThat(output()).contains("test set: ");
                evaluated++;
            }
        }
        assertThat(evaluated).as("bots with a *.nlu-test.yaml").isPositive();
    }

    private static List<Path> bots() throws IOException {
        try (Stream<Path> folders = Files.list(EXAMPLES)) {
            List<Path> bots = folders.filter(folder -> Files.isDirectory(folder.resolve("flows"))).sorted().toList();
            assertThat(bots).as("bots under examples/").isNotEmpty();
            return bots;
        }
    }

    private static List<Path> flowFiles(Path bot) throws IOException {
        try (Stream<Path> files = Files.list(bot.resolve("flows"))) {
            return files.filter(file -> file.toString().endsWith(".yaml") && !file.toString().endsWith(".test.yaml")
                    && !file.toString().endsWith(".nlu-test.yaml")).sorted().toList();
        }
    }

    private static List<Path> testFiles(Path bot) throws IOException {
        return files(bot, ".test.yaml").stream().filter(file -> !file.toString().endsWith(".nlu-test.yaml")).toList();
    }

    private static List<Path> files(Path bot, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(bot.resolve("flows"))) {
            return files.filter(file -> file.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
