package io.parley.distribution;

import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.topics.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release tarball unpacked in a folder, its processor, worker, gateway and MCP server started from bin/ with the
 * shipped example configuration (pointed at an in-process broker and registry), as separate
 * processes. One per test class.
 */
final class UnpackedParley implements AutoCloseable {

    static final String WORKER_GROUP = "parley-worker";
    static final String REPLY_TOPIC = "chat.replies.web";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path home;
    private final EmbeddedKafkaCluster kafka;
    private final EmbeddedSchemaRegistry registry;
    private final List<Service> services = new ArrayList<>();
    /** The gateway's secrets, given to it in its environment as conf/gateway.yaml expects. */
    static final String GATEWAY_TOKEN_SECRET = "distribution-it-token-secret-of-32-bytes";
    private int gatewayChatPort;
    /** The MCP server's caller token, given to it in its environment as conf/mcp.yaml expects. */
    static final String MCP_TOKEN = "distribution-it-mcp-token";
    private int mcpPort;

    /** A process started from a launcher, its output in a log file. */
    record Service(String name, Process process, int adminPort, Path log) {

        boolean ready() {
            return get("/health/ready").statusCode() == 200;
        }

        /** Ready, and false (not an error) while the endpoint does not answer yet. */
        boolean answersReady() {
            try {
                return ready();
            } catch (UncheckedIOException e) {
                return false;
            }
        }

        String metrics() {
            return get("/metrics").body();
        }

        private HttpResponse<String> get(String path) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(name + " does not answer on " + path, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        String output() {
            return outputOf(log);
        }

        /** Fails at once, with the service's output, if its process has ended: a wait on a dead service is over. */
        void failIfExited() {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
            }
        }

        /** Waits until the service answers ready; fails at once if it exits first. */
        void awaitReady(Duration timeout) {
            // Not ignoreExceptions(): a service that died must fail the wait at once, with its output.
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                failIfExited();
                return answersReady();
            });
        }
    }

    /**
     * Waits until a process's output (in {@code log}) holds a match of {@code pattern} and returns the first; fails at
     * once, with the output, if the process ends first.
     */
    static MatchResult awaitOutput(String name, Process process, Path log, Pattern pattern, Duration timeout) {
        Service service = new Service(name, process, 0, log);
        return await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            service.failIfExited();
            Matcher matcher = pattern.matcher(service.output());
            return matcher.find() ? matcher.toMatchResult() : null;
        }, match -> match != null);
    }

    private static String outputOf(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How the processor was started, to start it again. */
    private record ProcessorStart(Path config, int adminPort, Path directory) {
    }

    private ProcessorStart processorStart;

    private UnpackedParley(Path home, EmbeddedKafkaCluster kafka, EmbeddedSchemaRegistry registry) {
        this.home = home;
        this.kafka = kafka;
        this.registry = registry;
    }

    /**
     * Unpacks {@code tarball} under {@code directory}, starts a broker and a registry, creates the
     * topics, and starts the processor and one worker from the scripts.
     *
     * @param shopApiUrl where the example connector's shop API is
     */
    static UnpackedParley start(Path tarball, Path directory, String shopApiUrl) throws IOException, InterruptedException {
        Path home = unpack(tarball, directory);
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start();
        UnpackedParley parley = new UnpackedParley(home, kafka, registry);
        try {
            List<String> topics = new ArrayList<>(TopicNames.defaults().asMap().values());
            topics.add(REPLY_TOPIC);
            kafka.createTopics(2, topics);
            kafka.startShareGroupAtEarliest(WORKER_GROUP);
            Path conf = directory.resolve("conf");
            Files.createDirectories(conf);
            int processorPort = freePort();
            int workerPort = freePort();
            Path processorYaml = parley.adapt("processor.yaml", conf, processorPort, directory.resolve("state"), shopApiUrl);
            Path workerYaml = parley.adapt("worker.yaml", conf, workerPort, null, shopApiUrl);
            parley.adapt("connectors.yaml", conf, 0, null, shopApiUrl);
            parley.processorStart = new ProcessorStart(processorYaml, processorPort, directory);
            // The processor writes its class archive five seconds after its start instead of a minute; a heap
            // floor in JAVA_TOOL_OPTIONS, as the Kubernetes manifests set, must not reach the JVM that dumps it
            parley.services.add(parley.launch("parley-processor", processorYaml, processorPort, directory,
                    Map.of("PARLEY_JAVA_OPTS", "-Dparley.class-sharing.dump-after=PT5S", "JAVA_TOOL_OPTIONS", "-Xms200m")));
            parley.services.add(parley.launch("parley-worker", workerYaml, workerPort, directory));
            parley.gatewayChatPort = freePort();
            int gatewayAdminPort = freePort();
            Path gatewayYaml = parley.adaptGateway(conf, parley.gatewayChatPort, gatewayAdminPort);
            parley.services.add(parley.launch("parley-gateway", gatewayYaml, gatewayAdminPort, directory,
                    Map.of("GATEWAY_TOKEN_SECRET", GATEWAY_TOKEN_SECRET,
                            "GATEWAY_CONVERSATION_KEY", "distribution-it-conversation-key-32-bytes",
                            "GATEWAY_CONSOLE_TOKEN", "distribution-it-console-token")));
            parley.mcpPort = freePort();
            Path mcpYaml = parley.adaptMcp(conf, parley.mcpPort);
            parley.services.add(parley.launch("parley-mcp", mcpYaml, parley.mcpPort, directory, Map.of("PARLEY_MCP_TOKEN", MCP_TOKEN)));
            return parley;
        } catch (IOException | RuntimeException e) {
            parley.close();
            throw e;
        }
    }

    /** Unpacks the release tarball into the folder and returns the release's home in it. */
    static Path unpack(Path tarball, Path directory) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", directory.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes());
        if (!tar.waitFor(2, TimeUnit.MINUTES) || tar.exitValue() != 0) {
            throw new IllegalStateException("tar could not unpack " + tarball + ": " + output);
        }
        String name = tarball.getFileName().toString().replace(".tar.gz", "");
        return directory.resolve(name);
    }

    /** The shipped example file, pointed at this test's broker, registry, ports and folders. */
    private Path adapt(String file, Path conf, int adminPort, Path stateDir, String shopApiUrl) throws IOException {
        String text = Files.readString(home.resolve("conf").resolve(file))
                .replace("bootstrap.servers: localhost:9092", "bootstrap.servers: " + kafka.bootstrapServers())
                .replace("schema.registry.url: http://localhost:8081", "schema.registry.url: " + registry.url())
                .replace("baseUrl: http://localhost:8090", "baseUrl: " + shopApiUrl)
                .replaceAll("(?m)^  host: 0\\.0\\.0\\.0", "  host: 127.0.0.1")
                .replaceAll("(?m)^  port: \\d+", "  port: " + adminPort);
        if (stateDir != null) {
            text = text.replace("state.dir: /var/lib/parley/state", "state.dir: " + stateDir);
        }
        return Files.writeString(conf.resolve(file), text);
    }

    /** conf/gateway.yaml, pointed at this test's broker, registry and ports (its chat port and its admin port). */
    private Path adaptGateway(Path conf, int chatPort, int adminPort) throws IOException {
        String text = Files.readString(home.resolve("conf").resolve("gateway.yaml"))
                .replace("bootstrap.servers: localhost:9092", "bootstrap.servers: " + kafka.bootstrapServers())
                .replace("schema.registry.url: http://localhost:8081", "schema.registry.url: " + registry.url())
                .replaceAll("(?m)^  host: 0\\.0\\.0\\.0", "  host: 127.0.0.1")
                .replaceAll("(?m)^  port: 8480$", "  port: " + chatPort)
                .replaceAll("(?m)^  port: 9103$", "  port: " + adminPort);
        return Files.writeString(conf.resolve("gateway.yaml"), text);
    }

    /** conf/mcp.yaml, pointed at this test's broker, registry and port (its /health/ready is on the same port). */
    private Path adaptMcp(Path conf, int port) throws IOException {
        return mcpConfiguration(home, conf, kafka.bootstrapServers(), registry.url(), port);
    }

    /** The release's conf/mcp.yaml, pointed at this broker, registry and port, written into {@code conf}. */
    static Path mcpConfiguration(Path home, Path conf, String bootstrapServers, String registryUrl, int port) throws IOException {
        String text = Files.readString(home.resolve("conf").resolve("mcp.yaml"))
                .replace("bootstrap.servers: localhost:9092", "bootstrap.servers: " + bootstrapServers)
                .replace("schema.registry.url: http://localhost:8081", "schema.registry.url: " + registryUrl)
                .replaceAll("(?m)^bind: 0\\.0\\.0\\.0$", "bind: 127.0.0.1")
                .replaceAll("(?m)^port: 8095$", "port: " + port);
        return Files.writeString(conf.resolve("mcp.yaml"), text);
    }

    private Service launch(String script, Path config, int adminPort, Path directory) throws IOException {
        return launch(script, config, adminPort, directory, Map.of());
    }

    /**
     * Starts the processor again from its launcher, as a supervisor would after it stopped, with these
     * extra environment variables; its output goes to a log of its own. It replaces the first one in
     * {@link #processor()} and is stopped by {@link #close()}.
     */
    Service startProcessorAgain(Map<String, String> environment) throws IOException {
        return startProcessorAgain(environment, "parley-processor-again.log");
    }

    /** {@link #startProcessorAgain(Map)} with its output in a log of this name. */
    Service startProcessorAgain(Map<String, String> environment, String logName) throws IOException {
        Service again = launch("parley-processor", processorStart.config(), processorStart.adminPort(), processorStart.directory(),
                environment, logName);
        services.set(0, again);
        return again;
    }

    private Service launch(String script, Path config, int adminPort, Path directory, Map<String, String> environment)
            throws IOException {
        return launch(script, config, adminPort, directory, environment, script + ".log");
    }

    private Service launch(String script, Path config, int adminPort, Path directory, Map<String, String> environment,
                           String logName) throws IOException {
        Path log = directory.resolve(logName);
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin").resolve(script).toString(), "--config", config.toString())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Small budgets: a test machine runs several of these at once.
        builder.environment().put("PARLEY_MEMORY", "768m");
        builder.environment().remove("PARLEY_HEAP");
        builder.environment().remove("PARLEY_JAVA_OPTS");
        builder.environment().putAll(environment);
        return new Service(script, builder.start(), adminPort, log);
    }

    /** Waits until every service answers 200 on /health/ready; fails early, with its output, when one dies. */
    void awaitReady(Duration timeout) {
        // Not ignoreExceptions(): a service that died must fail the wait at once, with its output.
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            services.forEach(Service::failIfExited);
            return services.stream().allMatch(Service::answersReady);
        });
    }

    Service processor() {
        return services.get(0);
    }

    Service worker() {
        return services.get(1);
    }

    Service gateway() {
        return services.get(2);
    }

    Service mcp() {
        return services.get(3);
    }

    /** The MCP server's port (the endpoint /mcp and /health/ready). */
    int mcpPort() {
        return mcpPort;
    }

    /** The gateway's public chat port (the page, the widget, the WebSocket). */
    int gatewayChatPort() {
        return gatewayChatPort;
    }

    Path home() {
        return home;
    }

    EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    String registryUrl() {
        return registry.url();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Sends SIGTERM to every service (a clean stop) and waits for them; then stops broker and registry. */
    @Override
    public void close() {
        services.forEach(service -> service.process().destroy());
        for (Service service : services) {
            try {
                if (!service.process().waitFor(60, TimeUnit.SECONDS)) {
                    service.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                service.process().destroyForcibly();
            }
        }
        registry.close();
        kafka.close();
    }
}
