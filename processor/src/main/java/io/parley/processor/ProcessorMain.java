package io.parley.processor;

import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.ops.ProcessorStartupException;
import io.parley.runtime.ClassArchiveWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley-processor --config processor.yaml}: runs the processor until SIGTERM (or Ctrl-C),
 * then closes it cleanly — Kafka Streams commits what it processed and leaves the group.
 * Exit codes: 0 after a clean stop, 1 when the processor failed, 2 for a configuration error.
 */
@Command(name = "parley-processor", mixinStandardHelpOptions = true, version = "Parley processor 0.1",
        description = "Runs the Parley conversation processor (Kafka Streams).")
public final class ProcessorMain implements Callable<Integer> {

    static final int FAILED = 1;
    static final int CONFIGURATION_ERROR = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorMain.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The processor configuration (processor.yaml).")
    private Path config;

    public static void main(String[] args) {
        int exitCode = commandLine().execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** The command line, with configuration errors reported as one clear line instead of a stack trace. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ProcessorMain());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof ConfigException || exception instanceof ProcessorStartupException) {
                cmd.getErr().println("parley-processor: " + exception.getMessage());
                return CONFIGURATION_ERROR;
            }
            throw exception;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws InterruptedException {
        StartTimeline timeline = StartTimeline.ofThisJvm();
        timeline.step("JVM in main");
        ProcessorConfig loaded = ProcessorConfig.load(config);
        timeline.step("configuration loaded");
        ClassArchiveWriter.startIfAsked();
        AtomicReference<ParleyProcessor> current = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            ParleyProcessor processor = current.get();
            if (processor != null) {
                processor.close();
                ClassArchiveWriter.writeAtCleanStop(); // only a processor that ran has loaded what its next start needs
            }
        }, "parley-processor-shutdown"));
        HeldInstanceId heldInstanceId = new HeldInstanceId(loaded.membership().sessionTimeout(), System::nanoTime);
        while (true) {
            ParleyProcessor processor = ParleyProcessor.start(loaded, timeline);
            current.set(processor);
            if (stopping.get()) {
                processor.close(); // the shutdown hook ran while this one started
            }
            if (processor.awaitTermination()) {
                return 0;
            }
            processor.close();
            Optional<Throwable> failure = processor.failure();
            if (stopping.get() || failure.isEmpty() || !heldInstanceId.startAgain(failure.get())) {
                LOG.error(failure.filter(HeldInstanceId::isRefusal).isPresent()
                        ? "The group still holds this instance id long after its session: is another processor running with "
                                + "the same membership.instanceId? Exiting"
                        : "The processor failed; exiting");
                return FAILED;
            }
            Thread.sleep(heldInstanceId.pause().toMillis());
        }
    }
}
