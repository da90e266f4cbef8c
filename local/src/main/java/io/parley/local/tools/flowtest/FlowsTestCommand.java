package io.parley.local.tools.flowtest;

import io.parley.processor.flow.FlowSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley flows test demo-shop.test.yaml [--report DIR]}: runs conversation tests on the
 * processor's real topology, prints each test's outcome and a readable diff for a failure, writes
 * JUnit XML when asked, and exits 1 when a test fails (2 when a test file is not valid).
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Runs conversation tests (YAML) on the processor's topology, with stubbed connector answers.")
public final class FlowsTestCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "TESTS", description = "Test files (paths, or classpath:flows/demo-shop.test.yaml).")
    private List<String> files;

    @Option(names = "--report", paramLabel = "DIR", description = "Write JUnit XML reports (TEST-<file>.xml) into this folder.")
    private Path reportDirectory;

    private final PrintStream out;
    private final Clock clock;

    public FlowsTestCommand(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
        long failed = 0;
        long total = 0;
        for (String spec : files) {
            FlowTestSuite suite;
            FlowTestResult.Suite results;
            try {
                Path base = spec.startsWith(FlowSource.CLASSPATH_PREFIX) ? null : Path.of(spec).toAbsolutePath().getParent();
                suite = FlowTestSuite.read(FlowSource.parse(spec, null), base);
                results = new FlowTestRunner(clock).run(suite);
            } catch (ConfigException e) {
                out.println("parley flows test: " + e.getMessage());
                return 2;
            }
            out.println(results.file());
            for (FlowTestResult result : results.results()) {
                out.println((result.passed() ? "  PASS " : "  FAIL ") + result.name() + " (" + result.millis() + " ms)");
                result.failure().ifPresent(failure -> {
                    out.println("    at " + failure.where());
                    failure.diff().lines().forEach(line -> out.println("    " + line));
                });
            }
            if (reportDirectory != null) {
                out.println("  report: " + JUnitXmlReport.write(reportDirectory, results));
            }
            failed += results.failures();
            total += results.results().size();
        }
        out.println(failed == 0 ? "OK: " + total + " tests passed" : failed + " of " + total + " tests failed");
        return failed == 0 ? 0 : 1;
    }
}
