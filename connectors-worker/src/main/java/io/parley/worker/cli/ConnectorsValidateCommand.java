package io.parley.worker.cli;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.ConnectorFiles;
import io.parley.worker.Connectors;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.OperationVersions;
import io.parley.worker.connector.ParsedConnector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley connectors validate FILES...}: reads connector files exactly as the worker does
 * (same parser and validation, secrets resolved through the same config providers) and prints every
 * problem, one line each ({@code file: path: message}), exiting 1; or a summary of the connectors,
 * their operations and versions, exiting 0.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check connector files as the worker reads them: every problem as file: path: message.")
final class ConnectorsValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILES", description = "Connector files.")
    private List<Path> files;

    private final PrintStream out;

    ConnectorsValidateCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        List<ConfigSection> read = new ArrayList<>();
        List<Map.Entry<String, String>> texts = new ArrayList<>();
        for (Path file : files) {
            try {
                String text = YamlFiles.readText(file);
                read.add(YamlFiles.parse(file.toString(), text));
                texts.add(Map.entry(file.toString(), text));
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        ConnectorFiles.Checked checked;
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            checked = ConnectorFiles.check(read, variables);
        }
        checked.problems().forEach(problem -> problems.add(problem.getMessage()));
        if (!problems.isEmpty()) {
            problems.forEach(out::println);
            out.println(problems.size() + " problem(s) in " + files.size() + " connector file(s)");
            return 1;
        }
        int operations = 0;
        int versioned = 0;
        for (ParsedConnector<?> connector : checked.connectors()) {
            ConnectorDefinition definition = connector.definition();
            TreeSet<String> names = new TreeSet<>(definition.operationNames());
            operations += names.size();
            versioned += (int) names.stream().filter(name -> name.indexOf(OperationVersions.SEPARATOR) > 0).count();
            StringBuilder line = new StringBuilder(connector.name()).append(" (")
                    .append(definition.settings().type().name().toLowerCase(Locale.ROOT)).append(", ")
                    .append(connector.file()).append("): ").append(String.join(", ", names));
            Map<String, String> defaults = definition.settings().defaultVersions();
            if (!defaults.isEmpty()) {
                List<String> pairs = new ArrayList<>();
                new TreeMap<>(defaults).forEach((plain, version) -> pairs.add(plain + " -> " + version));
                line.append("; defaults: ").append(String.join(", ", pairs));
            }
            out.println(line);
        }
        out.println("OK: " + checked.connectors().size() + " connector(s), " + operations + " operation(s) ("
                + versioned + " versioned) in " + files.size() + " file(s); sha256 "
                + new Connectors.Version(1, Connectors.hash(texts)).shortHash());
        return 0;
    }
}
