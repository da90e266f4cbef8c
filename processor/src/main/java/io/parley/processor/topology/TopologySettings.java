package io.parley.processor.topology;

import io.parley.processor.config.InputLimits;
import io.parley.processor.config.Limits;
import io.parley.processor.audit.AuditTrail;
import io.parley.processor.config.ChannelSettings;
import io.parley.processor.config.ConversationSettings;
import io.parley.processor.config.ReplyRoutes;
import io.parley.processor.encryption.SessionSealing;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.reload.FlowVersions;
import io.parley.processor.telemetry.RuleBook;
import io.parley.runtime.tracing.Tracing;
import io.parley.topics.Topics;
import java.util.Map;

/**
 * Everything the topology is built from.
 *
 * @param topics the topic catalogue (names and serdes; its registry client serves the processor's own stores and
 *     repartition topics too)
 * @param flows the validated flows
 * @param replyRoutes reply topics by channel
 * @param channels what channels may do beyond the default (share conversations)
 * @param conversation timing and retention settings
 * @param audit how audit records are redacted and pseudonymised
 * @param metrics where the processors report
 * @param streamsProperties the Kafka Streams configuration (the topology reads its naming rules from it)
 * @param inputs how large the fields of a chat event may be
 * @param limits how large what a turn keeps and writes may grow, and its CPU budget
 * @param tracing spans of turns and requests, trace context in the records written
 * @param sealing encryption at rest of the personal parts of session values
 * @param telemetryRules the trigger rules over {@code iot.telemetry}; {@link RuleBook#OFF} leaves telemetry unread
 * @param flowVersions the flow versions turns run on ({@link FlowVersions#fixed} for flows from files); {@code flows}
 *     is the version the topology is built with (its reference tables), every later version must read the same tables
 * @param conversationPartitions the partition count of {@code chat.events} as described at start, which the
 *     {@code alert-deliveries} repartition topic must have to reach each conversation's session; {@code null} (tools,
 *     TopologyTestDriver tests) leaves the count to Kafka Streams
 */
public record TopologySettings(Topics topics, FlowCatalog flows, ReplyRoutes replyRoutes,
                               ChannelSettings channels, ConversationSettings conversation, AuditTrail audit, ProcessorMetrics metrics,
                               Map<String, Object> streamsProperties, InputLimits inputs, Limits limits,
                               Tracing tracing, SessionSealing sealing, RuleBook telemetryRules,
                               FlowVersions flowVersions, Integer conversationPartitions) {

    public TopologySettings {
        streamsProperties = Map.copyOf(streamsProperties);
    }
}
