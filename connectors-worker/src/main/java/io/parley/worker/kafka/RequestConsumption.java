package io.parley.worker.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.parley.runtime.DaemonThreads;
import io.parley.runtime.tracing.Tracing;
import io.parley.topics.Topics;
import io.parley.worker.Connectors;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import io.parley.worker.connector.Pause;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's Kafka side: the consumer loops (share or classic), the pool of threads making
 * backend calls, and the producer of responses and dead letters. Closing it stops polling, lets
 * in-flight calls finish for up to the shutdown timeout, releases what is left, then closes the clients.
 */
public final class RequestConsumption implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestConsumption.class);
    private static final Duration GROUP_SETUP_TIMEOUT = Duration.ofSeconds(30);
    /** How often the worker asks whether Kafka is reachable. */
    private static final Duration BROKER_PROBE_INTERVAL = Duration.ofMillis(250);
    /** How often a continuing outage is logged again. */
    private static final Duration OUTAGE_REMINDER_INTERVAL = Duration.ofMinutes(1);

    private final List<Thread> threads = new ArrayList<>();
    private final List<Runnable> stoppers = new ArrayList<>();
    private final ExecutorService calls;
    private final Producer<byte[], byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final WorkerMetrics metrics;
    private final Duration shutdownTimeout;
    private final BrokerWatch brokers;

    private RequestConsumption(WorkerConfig config, Connectors connectors, Topics topics, MeterRegistry meters,
                               ResponseRecordLimit limit, Tracing tracing) {
        String instance = UUID.randomUUID().toString().substring(0, 8);
        KafkaClients clients = new KafkaClients(config, instance);
        if (config.mode() == WorkerMode.SHARE) {
            // Before anything is created: a group that would deliver aborted requests stops the start, and a new
            // group starts at the earliest request, not after the ones sent before its first worker joined.
            try (Admin admin = Admin.create(clients.admin())) {
                ShareGroupIsolation.requireReadCommitted(admin, config.groupId(), GROUP_SETUP_TIMEOUT);
                ShareGroupStart.startAtEarliestUnlessSet(admin, config.groupId(), GROUP_SETUP_TIMEOUT);
            }
        }
        this.shutdownTimeout = config.shutdownTimeout();
        this.metrics = new WorkerMetrics(meters);
        this.calls = Executors.newFixedThreadPool(config.concurrency(), DaemonThreads.named("parley-worker-call-" + instance));
        this.producer = new KafkaProducer<>(clients.producer());
        this.brokers = new BrokerWatch(() -> Admin.create(clients.watchAdmin()), BROKER_PROBE_INTERVAL, OUTAGE_REMINDER_INTERVAL,
                Clock.systemUTC(), clients.bootstrapServers());
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meters);
        RecordProcessor processor = new RecordProcessor(connectors, topics.backendRequests(), topics.backendResponses(),
                topics.workerDeadLetters().name(), producer, calls, metrics, Pause.SLEEP, limit.recordBytes(), tracing);
        String topic = topics.backendRequests().name();
        if (config.mode() == WorkerMode.SHARE) {
            for (int i = 0; i < config.consumers(); i++) {
                int index = i;
                ShareGroupLoop loop = new ShareGroupLoop(() -> new KafkaShareConsumer<>(clients.shareConsumer(index)), topic,
                        processor, shutdownTimeout, metrics, brokers, LoopRestarts.DEFAULT);
                stoppers.add(loop::stop);
                threads.add(new Thread(loop, "parley-worker-share-" + instance + "-" + i));
            }
        } else {
            ClassicGroupLoop loop = new ClassicGroupLoop(() -> new KafkaConsumer<>(clients.classicConsumer()), topic, processor,
                    config.concurrency(), shutdownTimeout, metrics, LoopRestarts.DEFAULT);
            stoppers.add(loop::stop);
            threads.add(new Thread(loop, "parley-worker-classic-" + instance));
        }
    }

    /**
     * Starts consuming {@code backendRequests} and answering on {@code backendResponses}.
     *
     * @param limit how large a response record may be ({@link ResponseRecordLimit#read})
     * @param tracing spans of the calls
     */
    public static RequestConsumption start(WorkerConfig config, Connectors connectors, Topics topics, MeterRegistry meters,
                                           ResponseRecordLimit limit, Tracing tracing) {
        RequestConsumption consumption = new RequestConsumption(config, connectors, topics, meters, limit, tracing);
        consumption.brokers.start();
        consumption.threads.forEach(Thread::start);
        LOG.info("Consuming {} in {} mode as group {} ({} calls at once)", topics.backendRequests().name(),
                config.mode().name().toLowerCase(java.util.Locale.ROOT), config.groupId(), config.concurrency());
        return consumption;
    }

    /** Whether every consumer loop is still running. */
    public boolean isRunning() {
        return !threads.isEmpty() && threads.stream().allMatch(Thread::isAlive);
    }

    /** Whether the worker can take requests: its loops run and Kafka is reachable (what {@code /health/ready} says). */
    public boolean isReady() {
        return isRunning() && brokers.reachable();
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        stoppers.forEach(Runnable::run);
        long waitMillis = shutdownTimeout.toMillis() + 10_000;
        for (Thread thread : threads) {
            try {
                thread.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (thread.isAlive()) {
                LOG.warn("Consumer loop {} did not stop in time", thread.getName());
            }
        }
        // Calls still running belong to records already released: interrupting them loses nothing.
        calls.shutdownNow();
        try {
            calls.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producerMetrics.close();
        producer.close(Duration.ofSeconds(5));
        brokers.close();
    }

}
