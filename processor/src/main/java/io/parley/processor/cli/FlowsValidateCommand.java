package io.parley.processor.cli;

import io.parley.processor.flow.ConnectorOperations;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowProblem;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.TemplateCompiler;
import io.parley.processor.flow.Timing;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley flows validate demo-shop.yaml [--connectors connectors.yaml]}: every problem of the
 * flow files at once, each as {@code file:line:column path: message}, with the rules the processor
 * applies at start and, when connector files are given, the calls' parameters against the
 * operations' placeholders. Exit code 0 when the flows are clean, 1 when not.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks flow files and prints every problem as file:line:column path: message.")
public final class FlowsValidateCommand implements Callable<Integer> {

    /** Reads the operations the connector files declare (the worker's format; supplied by a module that knows it). */
    @FunctionalInterface
    public interface ConnectorReader {
        /** @throws ConfigException naming the file and entry of a problem of the connector files */
        ConnectorOperations read(List<Path> files);
    }

    @Parameters(arity = "1..*", paramLabel = "FILES", description = "Flow files (paths, or classpath:flows/demo-shop.yaml).")
    private List<String> files;

    @Option(names = "--connectors", split = ",", paramLabel = "FILES",
            description = "Connector files: check that each call gives exactly the parameters its operation declares.")
    private List<Path> connectorFiles;

    private final PrintStream out;
    private final ConnectorReader connectorReader;

    /**
     * @param connectorReader reads connector files, or null where they cannot be read (then {@code --connectors} is refused)
     */
    public FlowsValidateCommand(PrintStream out, ConnectorReader connectorReader) {
        this.out = out;
        this.connectorReader = connectorReader;
    }

    @Override
    public Integer call() {
        Optional<ConnectorOperations> connectors = Optional.empty();
        if (connectorFiles != null && !connectorFiles.isEmpty()) {
            if (connectorReader == null) {
                out.println("parley flows validate: --connectors needs the parley launcher (the worker's connector format)");
                return 2;
            }
            try {
                connectors = Optional.of(connectorReader.read(connectorFiles));
            } catch (ConfigException e) {
                out.println("connector files: " + e.getMessage());
                return 1;
            }
        }
        List<FlowSource> sources = files.stream().map(spec -> FlowSource.parse(spec, null)).toList();
        List<FlowProblem> problems = loader().check(sources, connectors);
        problems.forEach(problem -> out.println(problem.render()));
        if (problems.isEmpty()) {
            out.println("OK: " + files.size() + (files.size() == 1 ? " flow file" : " flow files") + " checked"
                    + (connectors.isPresent() ? " against " + connectorFiles.size() + " connector file(s)" : "") + ", no problems");
            return 0;
        }
        out.println(problems.size() + (problems.size() == 1 ? " problem" : " problems"));
        return 1;
    }

    /** The loader with the processor's default timing (intents without their own timing take it). */
    static FlowLoader loader() {
        return new FlowLoader(new TemplateCompiler(), new Timing(Duration.ofSeconds(2), Duration.ofSeconds(8), true));
    }
}
