package io.parley.local.tools;

import io.parley.local.LoggingSetup;
import io.parley.processor.cli.FlowsCommand;

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
        System.exit(FlowsCommand.commandLine(System.out, WorkerConnectorOperations::read).execute(args));
    }
}
