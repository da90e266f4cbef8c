package io.parley.worker.openapi;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley connectors import-openapi api.yaml --name shop-api [--operations getOrder,placeOrder] [-o shop-api.yaml]}:
 * writes a connector file for an API from its OpenAPI document.
 */
@Command(name = "import-openapi", mixinStandardHelpOptions = true,
        description = "Writes a Parley http connector file from an OpenAPI 3.0/3.1 document.")
public final class ImportOpenApiCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The OpenAPI document (YAML or JSON).")
    private Path document;

    @Option(names = "--name", required = true, description = "The connector's name.")
    private String name;

    @Option(names = "--operations", split = ",", description = "The operationIds to import (default: all).")
    private List<String> operations = List.of();

    @Option(names = "--base-url", description = "The base URL to call (default: the document's first server).")
    private String baseUrl;

    @Option(names = {"-o", "--output"}, description = "Where to write the connector file (default: standard output).")
    private Path output;

    private final PrintStream out;
    private final PrintStream err;

    public ImportOpenApiCommand() {
        this(System.out, System.err);
    }

    ImportOpenApiCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ImportOpenApiCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        OpenApiImport.Result result;
        try {
            result = OpenApiImport.generate(OpenApiImport.read(document), document.getFileName().toString(),
                    new OpenApiImport.Options(name, Optional.ofNullable(baseUrl), new LinkedHashSet<>(operations)));
        } catch (IllegalArgumentException e) {
            err.println("parley connectors import-openapi: " + e.getMessage());
            return 2;
        }
        if (output == null) {
            out.print(result.yaml());
        } else {
            Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
            err.println("Wrote " + output);
        }
        result.notes().forEach(note -> err.println("note: " + note));
        return 0;
    }
}
