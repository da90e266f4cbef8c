package io.parley.local.tools;

import io.parley.local.LoggingSetup;
import io.parley.worker.cli.ConnectorsCommand;
import java.time.Clock;

/** {@code parley connectors validate|call ...}: the worker's connector tools, logging warnings only, to stderr. */
public final class ConnectorsMain {

    private ConnectorsMain() {
    }

    public static void main(String[] args) {
        // Standard output is the tool's output (JSON a script may read): logs go to stderr, warnings only.
        LoggingSetup.use("parley-tools-logback.xml");
        System.exit(ConnectorsCommand.commandLine(System.out, Clock.systemUTC()).execute(args));
    }
}
