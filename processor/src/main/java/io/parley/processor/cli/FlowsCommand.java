package io.parley.processor.cli;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code parley flows validate|graph|publish}: the flow tools. {@link #commandLine} builds the command with
 * what the caller can offer (a connector file reader lives where the worker's code is on the class path).
 */
@Command(name = "flows", mixinStandardHelpOptions = true, description = "Tools for flow files.",
        synopsisSubcommandLabel = "COMMAND")
public final class FlowsCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Without connector files: {@code flows validate --connectors} is refused. */
    public static void main(String[] args) {
        System.exit(commandLine(System.out, null).execute(args));
    }

    public static CommandLine commandLine(PrintStream out, FlowsValidateCommand.ConnectorReader connectors) {
        CommandLine line = new CommandLine(new FlowsCommand()).setCommandName("parley flows");
        line.addSubcommand(new CommandLine(new FlowsValidateCommand(out, connectors)));
        line.addSubcommand(new CommandLine(new FlowsGraphCommand(out)));
        line.addSubcommand(new CommandLine(new FlowsPublishCommand(out, java.time.Clock.systemUTC(), connectors)));
        return line;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: validate, graph or publish");
    }
}
