package io.parley.processor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NluEvaluateCommandTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private int run(String... args) {
        PrintStream stream = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return new CommandLine(new NluEvaluateCommand(stream))
                .setErr(new java.io.PrintWriter(stream, true)).execute(args);
    }

    @Test
    void theDemoShopUnderstandsItsHeldOutTestSetAboveTheBar() {
        int exit = run("--flows", "classpath:flows/demo-shop.yaml", "--tests", "classpath:flows/demo-shop.nlu-test.yaml",
                "--min-accuracy", "0.85");

        String report = printed.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("classifier model: ", "5-fold cross-validation: ", "test set: 24 messages, accuracy ",
                "precision", "confusion");
        assertThat(exit).isZero();
    }

    @Test
    void anAccuracyBarAboveWhatTheBotReachesFailsTheRun() {
        int exit = run("--flows", "classpath:flows/demo-shop.yaml", "--tests", "classpath:flows/demo-shop.nlu-test.yaml",
                "--folds", "0", "--min-accuracy", "1.01");

        assertThat(exit).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("FAILED: test-set accuracy");
    }
}
