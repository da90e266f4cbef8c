package io.parley.bench.pipeline;

import io.parley.bench.report.Figures;
import io.parley.topics.TopicNames;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a scenario asks of the pipeline under test (Parley's processor and connectors worker).
 * An implementation turns it into the processor's and the worker's configuration
 * ({@code processor.yaml}, {@code worker.yaml}: the {@code kafka:} and {@code schemaRegistry:}
 * maps are passed as they are, the {@code topics:} map comes from {@link #topics()}).
 *
 * <p>The pipeline must:
 * <ul>
 *   <li>read chat events from {@code topics.chatEvents()} and send every reply for
 *       {@link #channel()} to {@code topics.defaultReplies()}, with {@code inReplyTo} set to the
 *       event id;</li>
 *   <li>answer {@link #turnText()} with one backend call: the demo shop's {@code shop-api}
 *       {@code getOrder} ({@code GET /orders/{orderId}?customerId={userId}}) against
 *       {@link #backendBaseUrl()}, replying {@code ANSWER} with the result, or {@code FALLBACK}
 *       when the call has not answered within {@link #turnTimeout()};</li>
 *   <li>answer {@link #sessionText()} without any backend call (it starts a session and
 *       replies, for the scale-of-state scenario).</li>
 * </ul>
 *
 * @param name unique in the run and the cluster ({@code bench.<run>.<scenario>}): the processor's
 *     application id and the worker's group id are made from it
 * @param kafka bootstrap servers and client settings, as the {@code kafka:} map
 * @param schemaRegistry serde settings, as the {@code schemaRegistry:} map
 * @param topics the scenario's own topic names (created empty by the bench)
 * @param channel the channel of every bench event
 * @param turnText a message that makes one backend call
 * @param sessionText a message that makes none
 * @param guarantee the processor's processing guarantee
 * @param commitInterval the processor's commit interval
 * @param streamThreads the processor's stream threads
 * @param backendBaseUrl the base URL of the {@code shop-api} connector
 * @param turnTimeout the flow's deadline for the backend call
 * @param workerConcurrency the worker's concurrency limit; empty for the worker's default
 * @param placement where the processor runs
 * @param processorMaxHeap the {@code -Xmx} of a child-JVM processor, as the JVM spells it ("512m")
 * @param workDirectory a folder of the run for state directories and generated configuration
 */
public record PipelineConfig(String name, Map<String, Object> kafka, Map<String, Object> schemaRegistry, TopicNames topics,
                             String channel, String turnText, String sessionText,
                             ProcessingGuarantee guarantee, Duration commitInterval, int streamThreads,
                             URI backendBaseUrl, Duration turnTimeout, OptionalInt workerConcurrency,
                             ProcessorPlacement placement, Optional<String> processorMaxHeap, Path workDirectory) {

    public PipelineConfig {
        Objects.requireNonNull(name, "name");
        kafka = Map.copyOf(kafka);
        schemaRegistry = Map.copyOf(schemaRegistry);
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(turnText, "turnText");
        Objects.requireNonNull(sessionText, "sessionText");
        Objects.requireNonNull(guarantee, "guarantee");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(backendBaseUrl, "backendBaseUrl");
        Objects.requireNonNull(turnTimeout, "turnTimeout");
        Objects.requireNonNull(workerConcurrency, "workerConcurrency");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(processorMaxHeap, "processorMaxHeap");
        Objects.requireNonNull(workDirectory, "workDirectory");
        if (streamThreads < 1) {
            throw new IllegalArgumentException("streamThreads must be at least 1, not " + streamThreads);
        }
    }

    /** The settings that shape the figures, for the report. */
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("processing.guarantee", guarantee.configValue());
        description.put("commit.interval", Figures.duration(commitInterval));
        description.put("stream.threads", streamThreads);
        description.put("turn.timeout", Figures.duration(turnTimeout));
        description.put("worker.concurrency", workerConcurrency.isPresent()
                ? String.valueOf(workerConcurrency.getAsInt()) : "worker default");
        description.put("processor.placement", placement.name());
        processorMaxHeap.ifPresent(heap -> description.put("processor.maxHeap", heap));
        return description;
    }
}
