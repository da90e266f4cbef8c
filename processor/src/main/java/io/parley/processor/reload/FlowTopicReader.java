package io.parley.processor.reload;

import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.FlowLoader;
import io.parley.processor.flow.FlowSets;
import io.parley.schemas.FlowSet;
import io.parley.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the published versions of one flow set from {@code parley.flows} (every partition, from the
 * beginning, no consumer group: every instance reads everything) and offers each to the
 * {@link FlowVersions}. A record that cannot be read or whose flows fail the checks is refused (WARN line
 * with topic, partition, offset and the problem, metric {@code parley.flows.versions{outcome=refused}});
 * the active version stays.
 */
public final class FlowTopicReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlowTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<String, FlowSet> topic;
    private final String set;
    private final FlowLoader loader;
    private final FlowVersions versions;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /** @param consumerSettings connection settings (TLS, SASL); no group is joined */
    public FlowTopicReader(Map<String, Object> consumerSettings, Topic<String, FlowSet> topic, String set, FlowLoader loader,
                           FlowVersions versions) {
        Map<String, Object> props = new HashMap<>(consumerSettings);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.set = set;
        this.loader = loader;
        this.versions = versions;
        this.thread = new Thread(this::run, "parley-flows-reader");
        thread.setDaemon(true);
    }

    /** Starts reading. */
    public void start() {
        thread.start();
    }

    /**
     * Waits until the topic has been read to its end as of the start and a valid version is active.
     *
     * @throws ConfigException naming the topic and the set when there is none within {@code wait}
     */
    public FlowCatalog awaitFirst(Duration wait) {
        try {
            boolean read = caughtUp.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            return versions.newest().orElseThrow(() -> new ConfigException("flows: no valid version of flow set '" + set
                    + "' on topic " + topic.name() + (read ? "" : " within " + wait + " (flows.wait)")
                    + "; publish one with 'parley flows publish --set " + set + " FILES...'"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("flows: interrupted while waiting for flow set '" + set + "'");
        }
    }

    private void run() {
        Deserializer<FlowSet> values = topic.valueSerde().deserializer();
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    offer(record, values);
                }
                if (caughtUp.getCount() > 0 && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Reading published flows from {} failed; the active flows stay, new versions are not read", topic.name(), e);
        } finally {
            consumer.close();
        }
    }

    private void offer(ConsumerRecord<byte[], byte[]> record, Deserializer<FlowSet> values) {
        String key = record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        if (!set.equals(key) || record.value() == null) {
            return;
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        FlowSet published;
        try {
            published = values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            versions.refuse(where, "not a readable FlowSet record (" + e.getMessage() + ")");
            return;
        }
        try {
            versions.offer(FlowSets.load(loader, published));
        } catch (ConfigException e) {
            versions.refuse(published.getVersion() + " (" + where + ")", e.getMessage());
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
