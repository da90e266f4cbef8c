package io.parley.worker.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code parley connectors validate|call ...}: the connector tools, reading connector files with
 * the worker's own loader and calling backends through the worker's own code path.
 */
@Command(name = "connectors", mixinStandardHelpOptions = true,
        description = "Check connector files, or make one real call through a connector.")
public final class ConnectorsCommand {

    private ConnectorsCommand() {
    }

    /** The command line with both subcommands, printing to {@code out}; {@code clock} dates the call's request. */
    public static CommandLine commandLine(PrintStream out, Clock clock) {
        CommandLine line = new CommandLine(new ConnectorsCommand());
        line.addSubcommand(new CommandLine(new ConnectorsValidateCommand(out)));
        line.addSubcommand(new CommandLine(new ConnectorsCallCommand(out, clock)));
        line.setOut(new PrintWriter(out, true));
        return line;
    }
}
