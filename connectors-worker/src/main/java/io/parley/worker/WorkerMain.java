package io.parley.worker;

import io.parley.runtime.ClassArchiveWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley-worker --config worker.yaml}: runs a connectors worker until SIGTERM (or Ctrl-C),
 * then shuts it down cleanly (in-flight calls finish or their records are released).
 */
@Command(name = "parley-worker", mixinStandardHelpOptions = true,
        description = "Consumes backend requests, calls HTTP, GraphQL and SQL backends, produces backend responses.")
public final class WorkerMain implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "The worker configuration file (worker.yaml).")
    private Path config;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        ConnectorWorker worker;
        try {
            worker = ConnectorWorker.start(WorkerConfig.load(config));
        } catch (ConfigException e) {
            // A configuration mistake is the user's to fix: the message says where; a stack trace would not help.
            System.err.println("parley-worker: " + e.getMessage());
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            ClassArchiveWriter.writeAtCleanStop();
        }, "parley-worker-shutdown"));
        ClassArchiveWriter.startIfAsked();
        worker.awaitStop();
        return 0;
    }
}
