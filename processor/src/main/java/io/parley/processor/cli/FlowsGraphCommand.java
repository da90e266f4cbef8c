package io.parley.processor.cli;

import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.graph.DotRenderer;
import io.parley.processor.flow.graph.FlowGraph;
import io.parley.processor.flow.graph.MermaidRenderer;
import io.parley.processor.flow.graph.SvgRenderer;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley flows graph demo-shop.yaml --format mermaid|dot|svg}: the flow as a diagram on
 * standard output — intents, slots, steps, parallel calls, connector operations, the reply and
 * the error replies by status.
 */
@Command(name = "graph", mixinStandardHelpOptions = true, description = "Prints the flows as a diagram (Mermaid, DOT or SVG).")
public final class FlowsGraphCommand implements Callable<Integer> {

    /** The output formats. */
    public enum Format { mermaid, dot, svg }

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Flow files (paths, or classpath:flows/demo-shop.yaml).")
    private List<String> files;

    @Option(names = "--format", defaultValue = "mermaid", description = "mermaid (default), dot or svg.")
    private Format format;

    private final PrintStream out;

    public FlowsGraphCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        FlowCatalog flows;
        try {
            flows = FlowsValidateCommand.loader().load(files.stream().map(spec -> FlowSource.parse(spec, null)).toList());
        } catch (ConfigException e) {
            out.println("parley flows graph: " + e.getMessage() + " (parley flows validate lists every problem)");
            return 1;
        }
        FlowGraph graph = FlowGraph.of(flows);
        out.print(switch (format) {
            case mermaid -> MermaidRenderer.render(graph);
            case dot -> DotRenderer.render(graph);
            case svg -> SvgRenderer.render(graph);
        });
        out.flush();
        return 0;
    }
}
