package io.parley.bench.pipeline;

import io.parley.gateway.GatewayMain;
import io.parley.gateway.auth.DemoTokens;
import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.topics.TopicNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Parley's web chat gateway in a JVM of its own, started as {@code bin/parley-gateway} starts it
 * ({@code java -Xmx… io.parley.gateway.GatewayMain --config gateway.yaml}), so its resident set is
 * its own. The bench writes {@code gateway.yaml}; the token secret and the conversation key are
 * fresh random values handed over in environment variables ({@code ${env:…}} in the file), and the
 * bench signs its users' tokens with the same secret, as a site's backend would.
 */
public final class ChildJvmGateway implements AutoCloseable {

    static final String TOKEN_SECRET_VARIABLE = "PARLEY_BENCH_GATEWAY_TOKEN_SECRET";
    static final String CONVERSATION_KEY_VARIABLE = "PARLEY_BENCH_GATEWAY_CONVERSATION_KEY";
    static final String AUDIENCE = "parley-bench";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    /**
     * What the gateway is started with.
     *
     * @param channel the channel of its chat events; the processor routes this channel's replies to {@code replyTopic}
     * @param replyTopic the topic it reads replies from
     * @param kafka bootstrap servers and client settings, as the {@code kafka:} map
     * @param schemaRegistry serde settings; an in-memory ({@code mock://}) registry is served over HTTP for the child
     * @param topics the scenario's topic names
     * @param maxHeap the {@code -Xmx} value, as the JVM spells it ("512m")
     * @param workDirectory where gateway.yaml and the log go
     */
    public record Settings(String channel, String replyTopic, Map<String, Object> kafka, Map<String, Object> schemaRegistry,
                           TopicNames topics, String maxHeap, Path workDirectory) {
        public Settings {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(replyTopic, "replyTopic");
            kafka = Map.copyOf(kafka);
            schemaRegistry = Map.copyOf(schemaRegistry);
            Objects.requireNonNull(topics, "topics");
            HeapSizes.parse(maxHeap);
            Objects.requireNonNull(workDirectory, "workDirectory");
        }
    }

    private final ChildJvm jvm;
    private final Optional<EmbeddedSchemaRegistry> registry;
    private final URI chatUri;
    private final DemoTokens tokens;
    private final long maxHeapBytes;
    private final String tokenSecret;

    private ChildJvmGateway(ChildJvm jvm, Optional<EmbeddedSchemaRegistry> registry, URI chatUri, DemoTokens tokens,
                            long maxHeapBytes, String tokenSecret) {
        this.tokenSecret = tokenSecret;
        this.jvm = jvm;
        this.registry = registry;
        this.chatUri = chatUri;
        this.tokens = tokens;
        this.maxHeapBytes = maxHeapBytes;
    }

    /** Writes gateway.yaml, starts the gateway and returns once its {@code /health/ready} says it reads replies and serves. */
    public static ChildJvmGateway start(Settings settings, Clock clock) throws InterruptedException {
        Optional<String> scope = new AvroSerdeConfig(settings.schemaRegistry()).mockScope();
        Optional<EmbeddedSchemaRegistry> registry = scope.map(s -> EmbeddedSchemaRegistry.start(InMemorySchemaRegistry.forScope(s)));
        try {
            Map<String, Object> serde = new HashMap<>(settings.schemaRegistry());
            registry.ifPresent(r -> serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, r.url()));
            String secret = randomSecret();
            String conversationKey = randomSecret();
            int httpPort = ChildJvm.freePort();
            int adminPort = ChildJvm.freePort();
            Path yaml = ConfigFiles.write(settings.workDirectory().resolve("gateway.yaml"),
                    yaml(settings, serde, httpPort, adminPort));
            ChildJvm jvm = ChildJvm.start("gateway", GatewayMain.class.getName(), yaml, List.of("-Xmx" + settings.maxHeap()),
                    Map.of(TOKEN_SECRET_VARIABLE, secret, CONVERSATION_KEY_VARIABLE, conversationKey),
                    URI.create("http://127.0.0.1:" + adminPort + "/health/ready"),
                    settings.workDirectory().resolve("gateway.log"), START_TIMEOUT);
            DemoTokens tokens = new DemoTokens(secret.getBytes(StandardCharsets.UTF_8), AUDIENCE, null, clock);
            return new ChildJvmGateway(jvm, registry, URI.create("ws://127.0.0.1:" + httpPort + "/chat/ws"), tokens,
                    HeapSizes.parse(settings.maxHeap()), secret);
        } catch (InterruptedException | RuntimeException e) {
            registry.ifPresent(EmbeddedSchemaRegistry::close);
            throw e;
        }
    }

    /** The content of gateway.yaml: everything not listed is the gateway's default (limits among them). */
    static Map<String, Object> yaml(Settings settings, Map<String, ?> serde, int httpPort, int adminPort) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("http", Map.of("host", "127.0.0.1", "port", httpPort));
        root.put("channel", settings.channel());
        root.put("replyTopic", settings.replyTopic());
        root.put("kafka", ConfigFiles.strings(settings.kafka()));
        root.put("schemaRegistry", ConfigFiles.strings(serde));
        root.put("topics", new LinkedHashMap<>(settings.topics().asMap()));
        root.put("tokens", Map.of("audience", AUDIENCE, "hs256Secret", "${env:" + TOKEN_SECRET_VARIABLE + "}"));
        root.put("conversationKey", "${env:" + CONVERSATION_KEY_VARIABLE + "}");
        root.put("admin", Map.of("host", "127.0.0.1", "port", adminPort));
        return root;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[36];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The web chat WebSocket, {@code ws://127.0.0.1:<port>/chat/ws}. */
    public URI chatUri() {
        return chatUri;
    }

    /** A token for {@code userId} signed with the gateway's secret, as the site's backend would sign it. */
    public String token(String userId, Duration lifetime) {
        return tokens.sign(userId, lifetime);
    }

    /**
     * The gateway's HS256 token secret, for a load generator in another JVM to sign its users' tokens
     * with (handed over in an environment variable, never on a command line or in a log).
     */
    public String tokenSecret() {
        return tokenSecret;
    }

    /** The audience the gateway expects in its users' tokens. */
    public String tokenAudience() {
        return AUDIENCE;
    }

    public long pid() {
        return jvm.pid();
    }

    public long maxHeapBytes() {
        return maxHeapBytes;
    }

    /** The gateway's resident set now. */
    public long residentBytes() {
        return jvm.residentBytes();
    }

    /** CPU time the gateway JVM has used so far (all its threads), when the operating system tells. */
    public Optional<Duration> cpuTime() {
        return ProcessHandle.of(jvm.pid()).flatMap(p -> p.info().totalCpuDuration());
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    /** The end of the gateway's log, for a failure message. */
    public String logTail() {
        return jvm.logTail();
    }

    /** What the report shows beside the figures. */
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("gateway.placement", "child JVM (gateway alone), io.parley.gateway.GatewayMain --config gateway.yaml");
        description.put("gateway.jvmOptions", String.join(" ", jvm.jvmOptions()));
        description.put("gateway.configuration", "gateway.yaml written by the bench (ChildJvmGateway); gateway defaults otherwise");
        return description;
    }

    @Override
    public void close() {
        try {
            jvm.close();
        } finally {
            registry.ifPresent(EmbeddedSchemaRegistry::close);
        }
    }
}
