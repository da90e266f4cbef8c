package io.parley.mcp;

import io.parley.runtime.ClassArchiveWriter;
import io.parley.runtime.ConfigVariables;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;

/**
 * Starts the MCP server: {@code parley-mcp --config mcp.yaml}. Bad configuration stops the start with one line naming
 * where (exit code 2, as the other services).
 */
public final class McpMain {

    private McpMain() {
    }

    public static void main(String[] args) throws Exception {
        String file = args.length == 2 && args[0].equals("--config") ? args[1] : args.length == 1 ? args[0] : null;
        if (file == null) {
            System.err.println("usage: parley-mcp --config <mcp.yaml>");
            System.exit(2);
        }
        McpSettings settings;
        ConfigVariables variables = ConfigVariables.withStandardProviders();
        try {
            settings = McpSettings.read(Path.of(file), variables, Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        } finally {
            variables.close();
        }
        McpToolServer server = McpToolServer.start(settings, Clock.systemUTC());
        ClassArchiveWriter.startIfAsked();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            ClassArchiveWriter.writeAtCleanStop();
            stopped.countDown();
        }, "parley-mcp-shutdown"));
        stopped.await();
    }
}
