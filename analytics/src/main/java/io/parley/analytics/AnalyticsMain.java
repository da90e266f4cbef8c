package io.parley.analytics;

import io.parley.analytics.config.AnalyticsConfig;
import io.parley.runtime.ClassArchiveWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley-analytics --config analytics.yaml}: keeps bot statistics from the audit stream until
 * SIGTERM (or Ctrl-C). Exit codes: 0 after a clean stop, 1 when it failed, 2 for a configuration error.
 */
@Command(name = "parley-analytics", mixinStandardHelpOptions = true, version = "Parley analytics 0.1",
        description = "Reads the audit stream and keeps per-bot statistics per hour and day on a compacted topic.")
public final class AnalyticsMain implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The configuration (analytics.yaml).")
    private Path config;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new AnalyticsMain());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof ConfigException) {
                cmd.getErr().println("parley-analytics: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        int exitCode = commandLine.execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        AnalyticsApp app = AnalyticsApp.start(AnalyticsConfig.load(config));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            ClassArchiveWriter.writeAtCleanStop();
        }, "parley-analytics-shutdown"));
        ClassArchiveWriter.startIfAsked();
        return app.awaitTermination() ? 0 : 1;
    }
}
