package io.parley.local;

import io.parley.gateway.Gateway;
import io.parley.gateway.GatewayConfig;
import io.parley.gateway.channels.ChannelDefinition;
import io.parley.gateway.channels.ChannelEndpoints;
import io.parley.gateway.chat.ChatLimits;
import io.parley.runtime.Secret;
import io.parley.runtime.audit.AuditSection;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The web chat gateway of local mode: on 127.0.0.1, on the local broker and registry, with demo
 * tokens for the demo shop's customers. Its token and conversation keys are made per run: a
 * browser tab kept open across a restart signs in again and starts a new conversation.
 */
final class LocalGateway implements AutoCloseable {

    /** The preferred port of the gateway; a free one is taken when it is in use. */
    static final int DEFAULT_PORT = 8480;
    /** The demo shop's customers (demo-shop/data.sql): each gets a demo token on the chat page. */
    static final List<String> DEMO_USERS = List.of("alice", "bob");
    /** The audience of local mode's demo tokens. */
    static final String AUDIENCE = "parley-local";

    private final Gateway gateway;
    private final List<ChannelDefinition> adapters;

    private LocalGateway(Gateway gateway, List<ChannelDefinition> adapters) {
        this.gateway = gateway;
        this.adapters = adapters;
    }

    /** The endpoints of the gateway channels served besides the web chat, one line each; empty: none configured. */
    List<String> adapterEndpoints() {
        return ChannelEndpoints.describe(adapters, gateway.uri());
    }

    /**
     * @param consoleToken the admin token of the console (local mode's session lookup token, so also the credential
     *                     the console fetches the processor's flow picture with)
     * @param workerMetrics the local worker's metrics page, for the console's connector health
     * @param flowGraph the local processor's picture of its flows, for the console
     */
    static LocalGateway start(LocalStack stack, int preferredPort, String consoleToken, URI workerMetrics, URI flowGraph) {
        return start(stack, preferredPort, consoleToken, workerMetrics, flowGraph, Optional.empty());
    }

    /** @param auditKey the processor's audit pseudonym key: the channels' undeliverable replies are audited alike */
    static LocalGateway start(LocalStack stack, int preferredPort, String consoleToken, URI workerMetrics, URI flowGraph,
                              Optional<Secret> auditKey) {
        LocalSettings settings = stack.settings();
        GatewayConfig config = new GatewayConfig(LocalPorts.host(), LocalPorts.preferredOrFree(preferredPort),
                LocalSettings.WEB_CHANNEL, settings.webReplyTopic(),
                Map.of("bootstrap.servers", stack.bootstrapServers()),
                Map.of("schema.registry.url", stack.registryUrl()), settings.topics(),
                new GatewayConfig.Tokens(AUDIENCE, null, randomKey(), null), randomKey(), ChatLimits.defaults(),
                DEMO_USERS, consoleToken, new GatewayConfig.Admin(LocalPorts.host(), 0),
                new GatewayConfig.ConnectorHealthSources(List.of(workerMetrics), Duration.ofSeconds(5)), flowGraph);
        AuditSection audit = auditKey.map(AuditSection::pseudonymized).orElse(AuditSection.DEFAULTS);
        GatewayConfig local = config.withChannels(settings.adapters()).withAudit(audit);
        if (consoleToken != null) {
            local = local.withFlowGraphToken(Secret.of(consoleToken));
        }
        return new LocalGateway(Gateway.start(local, Clock.systemUTC()),
                settings.adapters());
    }

    /** The demo chat page. */
    String chatUrl() {
        return gateway.uri() + "/chat";
    }

    /** The console: live conversations from the audit stream. */
    String consoleUrl() {
        return gateway.uri() + "/console";
    }

    @Override
    public void close() {
        gateway.close();
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        // Printable, as a configured secret would be.
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
