package io.parley.worker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.runtime.Durations;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.Connectors;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley connectors call FILES... CONNECTOR OPERATION key=value...}: one real call through
 * the worker's code path (auth, retries, timeouts, response mapping and schema), printed as JSON:
 * status, attempts, latency, the mapped result or the error. Exits 0 when the status is {@code OK},
 * 1 otherwise. Requests and credentials are never printed; the error text is the one the worker
 * would send, which never holds secrets.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Make one real call through a connector, as the worker makes it, and print the mapped result as JSON.")
final class ConnectorsCallCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "3..*", paramLabel = "ARGS",
            description = "Connector files (existing paths), then CONNECTOR, OPERATION and key=value parameters.")
    private List<String> args;

    @Option(names = "--deadline", defaultValue = "30s",
            description = "How long the answer is awaited, retries included (default: ${DEFAULT-VALUE}).")
    private String deadline;

    @Option(names = "--user", defaultValue = "parley-cli", description = "The user id the request is made for.")
    private String user;

    private final PrintStream out;
    private final Clock clock;

    ConnectorsCallCommand(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        List<Path> files = new ArrayList<>();
        int next = 0;
        while (next < args.size() && Files.isRegularFile(Path.of(args.get(next)))) {
            files.add(Path.of(args.get(next++)));
        }
        if (files.isEmpty() || args.size() - next < 2) {
            out.println("parley connectors call: expected FILES... CONNECTOR OPERATION [key=value...]; "
                    + (files.isEmpty() ? "'" + args.get(0) + "' is not a connector file" : "the connector or the operation is missing"));
            return 1;
        }
        String connector = args.get(next++);
        String operation = args.get(next++);
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : args.subList(next, args.size())) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                out.println("parley connectors call: '" + pair + "' is not a parameter; write key=value");
                return 1;
            }
            params.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        Duration wait;
        try {
            wait = Durations.parse("--deadline", deadline);
        } catch (RuntimeException e) {
            out.println("parley connectors call: " + e.getMessage());
            return 1;
        }
        BackendResponse response;
        try (Connectors connectors = Connectors.builder().files(files).build()) {
            response = connectors.call(request(connector, operation, params, wait));
        } catch (ConfigException e) {
            out.println(e.getMessage());
            return 1;
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(describe(response)));
        return response.getStatus() == BackendStatus.OK ? 0 : 1;
    }

    private BackendRequest request(String connector, String operation, Map<String, String> params, Duration wait) {
        Instant now = clock.instant();
        String id = "cli-" + UUID.randomUUID();
        return BackendRequest.newBuilder()
                .setRequestId(id + ":0:0")
                .setConversationId(id)
                .setUserId(user)
                .setEventId(id)
                .setConnector(connector)
                .setOperation(operation)
                .setParams(params)
                .setDeadline(now.plus(wait))
                .setAttempt(1)
                .setCreatedAt(now)
                .build();
    }

    private static ObjectNode describe(BackendResponse response) {
        ObjectNode json = JSON.createObjectNode();
        json.put("connector", response.getConnector());
        json.put("operation", response.getOperation());
        json.put("status", response.getStatus().name());
        json.put("attempts", response.getAttempts());
        json.put("latencyMs", response.getLatencyMs());
        if (response.getResult() != null) {
            json.set("result", parsed(response.getResult()));
        }
        if (response.getError() != null) {
            json.put("error", response.getError());
        }
        return json;
    }

    private static JsonNode parsed(String result) {
        try {
            return JSON.readTree(result);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(result);
        }
    }
}
