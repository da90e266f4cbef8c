package io.parley.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.gateway.auth.DemoTokens;
import io.parley.gateway.auth.TokenVerifier;
import io.parley.gateway.channels.Channels;
import io.parley.gateway.chat.ChatSession;
import io.parley.gateway.chat.ConversationIds;
import io.parley.gateway.chat.ReplyRouter;
import io.parley.gateway.console.AuditFeed;
import io.parley.gateway.console.ConnectorHealth;
import io.parley.gateway.console.ConversationLog;
import io.parley.gateway.console.FlowPicture;
import io.parley.gateway.kafka.KafkaChatEventPublisher;
import io.parley.gateway.kafka.ReplyListener;
import io.parley.gateway.ops.GatewayMetrics;
import io.parley.gateway.web.AdminEndpoint;
import io.parley.gateway.web.GatewayServer;
import io.parley.gateway.console.OperatorActions;
import io.parley.runtime.access.AccessControl;
import io.parley.runtime.audit.UserReferences;
import io.parley.runtime.tracing.Tracing;
import io.parley.topics.Topics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * A running gateway: the reply listener, the chat event producer and the HTTP server, built from
 * one {@link GatewayConfig} in one pass.
 */
public final class Gateway implements AutoCloseable {

    private final KafkaChatEventPublisher publisher;
    private final ReplyListener replies;
    private final GatewayServer server;
    private final ReplyRouter router;
    private final AuditFeed console;
    private final AdminEndpoint admin;
    private final ConnectorHealth health;
    private final Tracing tracing;
    private final Channels channels;
    private final OperatorActions actions;

    private Gateway(KafkaChatEventPublisher publisher, ReplyListener replies, GatewayServer server, ReplyRouter router,
                    AuditFeed console, AdminEndpoint admin, ConnectorHealth health, Tracing tracing, Channels channels,
                    OperatorActions actions) {
        this.actions = actions;
        this.tracing = tracing;
        this.channels = channels;
        this.console = console;
        this.health = health;
        this.admin = admin;
        this.publisher = publisher;
        this.replies = replies;
        this.server = server;
        this.router = router;
    }

    /** Builds and starts a gateway; returns once it reads its reply topic and accepts connections. */
    public static Gateway start(GatewayConfig config, Clock clock) {
        return start(config, clock, Tracing.start(config.tracing()));
    }

    /** Builds and starts a gateway tracing with {@code tracing} (tests export to memory); the gateway closes it. */
    public static Gateway start(GatewayConfig config, Clock clock, Tracing tracing) {
        Topics topics = Topics.create(config.topics(), config.serde());
        GatewayConfig.Tokens t = config.tokens();
        TokenVerifier verifier = t.hs256Secret() != null
                ? TokenVerifier.hs256(t.hs256Secret(), t.audience(), t.issuer(), clock)
                : TokenVerifier.rs256(t.jwksUrl(), t.audience(), t.issuer(), clock);
        var limits = config.limits();
        ReplyRouter router = new ReplyRouter(limits.repliesPerConversation(), limits.bufferedConversations(),
                limits.bufferedReplies(), limits.replayWindow(), limits.maxConnectionsPerUser(), clock);
        Map<String, Object> kafka = config.kafka();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GatewayMetrics metrics = new GatewayMetrics(registry);
        metrics.watchConnections(router::connections);
        KafkaChatEventPublisher publisher = new KafkaChatEventPublisher(topics.chatEvents(), kafka, tracing);
        ReplyListener replies = new ReplyListener(topics.replies(config.replyTopic()), kafka, router,
                limits.replayWindow(), clock, metrics);
        metrics.watchSkippedReplies(replies::skipped);
        GatewayServer server = null;
        AuditFeed console = null;
        AdminEndpoint admin = null;
        ConnectorHealth health = null;
        Channels channels = null;
        OperatorActions actions = null;
        try {
            replies.start(Duration.ofSeconds(30));
            channels = Channels.start(config.channels(), topics, kafka, publisher, registry, clock,
                    config.audit().users());
            ChatSession.Services services = new ChatSession.Services(config.channel(), verifier,
                    new ConversationIds(config.conversationKey()), router, publisher, limits, clock, metrics);
            DemoTokens demo = config.demoUsers().isEmpty() || t.hs256Secret() == null ? null
                    : new DemoTokens(t.hs256Secret(), t.audience(), t.issuer(), clock);
            AccessControl consoleAccess = AccessControl.of(config.consoleAccess(), clock).countRefusals(registry);
            if (consoleAccess.configured()) {
                actions = new OperatorActions(topics, kafka, publisher, config.audit().users(), clock);
                console = new AuditFeed(topics.audit(), kafka, new ConversationLog(1000, 200), Duration.ofHours(1), clock);
                console.start();
                if (!config.connectorHealth().workers().isEmpty()) {
                    health = new ConnectorHealth(config.connectorHealth().workers(), clock);
                    health.start(config.connectorHealth().interval());
                }
            }
            server = new GatewayServer(config.host(), config.port(), services, demo,
                    new LinkedHashSet<>(config.demoUsers()), limits.maxMessageChars(), console, consoleAccess, actions, health,
                    config.flowGraph() == null ? null : new FlowPicture(config.flowGraph(), config.flowGraphToken(), clock),
                    channels == null ? null : channels.handler());
            server.start();
            GatewayServer chat = server;
            Channels started = channels;
            admin = new AdminEndpoint(config.admin().host(), config.admin().port(), registry,
                    () -> replies.isRunning() && chat.isRunning() && (started == null || started.isRunning()));
            admin.start();
            return new Gateway(publisher, replies, server, router, console, admin, health, tracing, channels, actions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(admin, health, replies, publisher, server, console, channels, actions, tracing);
            throw new IllegalStateException("interrupted while starting the gateway", e);
        } catch (RuntimeException e) {
            closeQuietly(admin, health, replies, publisher, server, console, channels, actions, tracing);
            throw e;
        }
    }

    /** The base URL of the HTTP server. */
    public URI uri() {
        return server.uri();
    }

    /** The port of the admin endpoint ({@code /metrics}, {@code /health/*}). */
    public int adminPort() {
        return admin.port();
    }

    /** Connections attached to a conversation on this instance. */
    public int connections() {
        return router.connections();
    }

    /** Unreadable reply records skipped. */
    public long skippedReplies() {
        return replies.skipped();
    }

    @Override
    public void close() {
        closeQuietly(admin, server, channels, health, console, replies, actions, publisher, tracing);
    }

    private static void closeQuietly(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                // Closing the rest matters more than the first failure.
            }
        }
    }
}
