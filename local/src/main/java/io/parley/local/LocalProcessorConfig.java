package io.parley.local;

import io.parley.demo.DemoDevices;
import io.parley.demo.DemoStock;
import io.parley.processor.config.AdminSettings;
import io.parley.processor.config.AuditSettings;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.config.TelemetrySettings;
import io.parley.processor.flow.FlowSource;
import io.parley.runtime.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processor's configuration in local mode: the local broker and registry, the demo shop flows,
 * the console channel routed to its own reply topic, state kept in the data folder, and the admin
 * endpoint on 127.0.0.1.
 */
final class LocalProcessorConfig {

    /** The flows local mode runs: the processor's shipped demo shop flows. */
    static final String DEMO_FLOWS = "flows/demo-shop.yaml";
    /** The intents that answer the demo fleet's alerts ("what happened?", "mute for 1 hour"; docs/alerts.md). */
    static final String DEMO_ALERT_FLOWS = "flows/demo-alerts.yaml";
    /** The processor's static group membership: local mode runs one processor instance. */
    static final String STATIC_MEMBER_ID = "parley-local-processor";

    private LocalProcessorConfig() {
    }

    /** The demo shop flows, the stock question answered from the live stock table, the alert intents of the demo
     * fleet, and the preference intents when Redis runs. */
    static List<FlowSource> flows(LocalStack stack) {
        List<FlowSource> flows = new ArrayList<>();
        flows.add(FlowSource.classpath(DEMO_FLOWS));
        flows.add(FlowSource.classpath(DemoStock.FLOWS));
        flows.add(FlowSource.classpath(DEMO_ALERT_FLOWS));
        stack.preferences().flows().forEach(file -> flows.add(FlowSource.classpath(file)));
        return List.copyOf(flows);
    }

    /**
     * @param adminPort the admin endpoint's port (0: any free one)
     * @param sessionToken the bearer token of the session lookup
     * @param auditKey the pseudonym key, when user ids in the audit stream are pseudonymised
     */
    static ProcessorConfig of(LocalStack stack, int adminPort, Secret sessionToken, Optional<Secret> auditKey) {
        LocalSettings settings = stack.settings();
        var builder = ProcessorConfig.builder();
        // The gateway channels served besides the web chat (--channels): each routed to its reply topic.
        settings.adapters().forEach(a -> builder.replyRoute(a.name(), a.replyTopic()));
        return builder
                .kafka("bootstrap.servers", stack.bootstrapServers())
                // In the data folder, so sessions are not restored from their changelogs on every start.
                .kafka("state.dir", stack.data().streams().toString())
                // Kafka Streams does not leave its group on close (a rolling restart should not
                // rebalance), so a restarted member would wait out the old one's 45 s session. As a
                // static member it takes its old place at once.
                .kafka("group.instance.id", STATIC_MEMBER_ID)
                .schemaRegistry("schema.registry.url", stack.registryUrl())
                .topics(settings.topics())
                .flows(flows(stack))
                .replyRoute(settings.channel(), settings.channelReplyTopic())
                .replyRoute(LocalSettings.WEB_CHANNEL, settings.webReplyTopic())
                .admin(new AdminSettings(LocalPorts.host(), adminPort, Optional.of(sessionToken)))
                .audit(auditKey.map(AuditSettings::pseudonymized).orElse(AuditSettings.DEFAULTS))
                .telemetry(TelemetrySettings.rules(FlowSource.classpath(DemoDevices.RULES)))
                .build();
    }
}
