package io.parley.local.tools;

import io.parley.local.LoggingSetup;
import io.parley.local.tools.flowtest.FlowsTestCommand;
import io.parley.processor.cli.FlowsCommand;
import java.io.PrintStream;
import java.time.Clock;
import picocli.CommandLine;

/**
 * {@code parley flows ...}: the processor's flow tools, with connector files read by the worker's
 * code ({@code flows validate --connectors connectors.yaml}).
 */
public final class FlowsMain {

    private FlowsMain() {
    }

    public static void main(String[] args) {
        // Standard output is the tool's output (an SVG can be redirected to a file): logs go to stderr, warnings only.
        LoggingSetup.use("parley-tools-logback.xml");
        System.exit(commandLine(System.out).execute(args));
    }

    /** validate and graph from the processor, test from here (it needs the Kafka Streams test driver). */
    static CommandLine commandLine(PrintStream out) {
        CommandLine line = FlowsCommand.commandLine(out, WorkerConnectorOperations::read);
        line.addSubcommand(new CommandLine(new FlowsTestCommand(out, Clock.systemUTC())));
        return line;
    }
}
