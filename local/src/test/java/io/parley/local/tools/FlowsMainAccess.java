package io.parley.local.tools;

import java.io.PrintStream;
import picocli.CommandLine;

/** Lets tests in other packages build the {@code parley flows} command line as {@link FlowsMain} does. */
public final class FlowsMainAccess {

    private FlowsMainAccess() {
    }

    public static CommandLine commandLine(PrintStream out) {
        return FlowsMain.commandLine(out);
    }
}
