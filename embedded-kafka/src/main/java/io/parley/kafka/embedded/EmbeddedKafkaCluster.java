package io.parley.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.ServerSocketFactory;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka cluster (KRaft, broker and controller combined) running inside this
 * JVM, configured so that what Parley relies on works on one node: exactly-once transactions
 * ({@code transaction.version=2}), share groups ({@code share.version=1}) and internal topics
 * with replication factor 1.
 *
 * <p>By default its data lives in a temporary folder deleted on close; with
 * {@link Builder#dataDirectory(Path)} it is kept, and a later start reuses it.
 *
 * <p>The broker and the controller listen on loopback only ({@code localhost}, the address
 * clients and the controller quorum are given), never on every interface: other machines on
 * the network cannot reach this cluster.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final String CLUSTER_ID_FILE = "cluster.id";
    private static final long ADMIN_TIMEOUT_SECONDS = 30;
    private static final Duration TOPIC_METADATA_TIMEOUT = Duration.ofSeconds(ADMIN_TIMEOUT_SECONDS);
    /** The host of the test kit's listeners, its controller quorum and its bootstrap servers. */
    private static final String LOOPBACK_HOST = "localhost";

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafkaCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** A cluster in a temporary folder with the default settings, started. */
    public static EmbeddedKafkaCluster start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * The {@code bootstrap.servers} value of the SASL_SSL listener added with
     * {@link Builder#saslSslListener(SaslSslListener)}.
     *
     * @throws IllegalStateException when the cluster has no such listener
     */
    public String secureBootstrapServers() {
        try {
            int port = cluster.brokers().values().iterator().next().boundPort(new ListenerName(SaslSslListener.NAME));
            return LOOPBACK_HOST + ":" + port;
        } catch (RuntimeException e) {
            throw new IllegalStateException("this cluster has no " + SaslSslListener.NAME + " listener; add it with Builder.saslSslListener", e);
        }
    }

    /** A new admin client for this cluster; the caller closes it. */
    public Admin admin() {
        return cluster.admin();
    }

    /** Creates the topics that do not exist yet, each with the given partition count. */
    public void createTopics(int partitions, String... names) {
        createTopics(partitions, List.of(names));
    }

    /** Creates the topics that do not exist yet, each with the given partition count. */
    public void createTopics(int partitions, Collection<String> names) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        names.forEach(name -> byName.put(name, partitions));
        createTopics(byName);
    }

    /** Creates the topics that do not exist yet, with their partition counts. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                    .toList();
            admin.createTopics(topics).values().forEach((name, result) -> {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while creating topic " + name, e);
                }
            });
            awaitLeaders(admin, partitionsByTopic.keySet());
        }
    }

    /**
     * Waits until the broker's metadata has a leader for every partition of the topics. A topic's
     * creation completes when the controller has it; a client asking the broker right after (a
     * consumer's partitionsFor) may otherwise still be told that it does not exist.
     */
    private static void awaitLeaders(Admin admin, Collection<String> topics) {
        long deadline = System.nanoTime() + TOPIC_METADATA_TIMEOUT.toNanos();
        while (true) {
            try {
                boolean led = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topics " + topics + ": " + e.getCause().getMessage(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + topics, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topics " + topics + " have no leader after " + TOPIC_METADATA_TIMEOUT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + topics, e);
            }
        }
    }

    /**
     * Makes a share group start from the earliest offset. Share groups otherwise start at the
     * latest offset, and records produced before the first consumer joined would be skipped.
     */
    public void startShareGroupAtEarliest(String groupId) {
        try (Admin admin = admin()) {
            startShareGroupAtEarliest(admin, groupId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while configuring share group " + groupId, e);
        }
    }

    /**
     * The same on whatever cluster {@code admin} talks to, embedded or not: it is a group config
     * ({@code share.auto.offset.reset}).
     */
    public static void startShareGroupAtEarliest(Admin admin, String groupId) throws InterruptedException {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        AlterConfigOp earliest = new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(group, List.of(earliest))).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not make share group " + groupId + " start at the earliest offset: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    /**
     * Stops the broker, as an outage would, keeping its data and the controller: clients can no
     * longer connect until {@link #startBroker()}. For tests of how clients ride out an outage.
     */
    public void stopBroker() {
        cluster.brokers().values().forEach(broker -> {
            broker.shutdown();
            broker.awaitShutdown();
        });
    }

    /** Starts the broker stopped by {@link #stopBroker()} again, on the same port, and waits until it is ready. */
    public void startBroker() {
        cluster.brokers().values().forEach(broker -> broker.startup());
        try {
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while restarting the embedded broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The embedded broker did not restart: " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Embedded Kafka did not shut down cleanly: " + e.getMessage(), e);
        }
    }

    /** Settings of an embedded cluster. */
    public static final class Builder {

        private Path dataDirectory;
        private final Map<String, Object> brokerProperties = new HashMap<>();
        private SaslSslListener saslSsl;

        private Builder() {
        }

        /** Keep the cluster's data in this folder, and reuse it when it already holds a cluster. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** A broker configuration property on top of the defaults. */
        public Builder brokerProperty(String name, Object value) {
            brokerProperties.put(name, value);
            return this;
        }

        /**
         * Adds a listener for clients with SASL/SCRAM over TLS, and turns authorization on
         * ({@code StandardAuthorizer}, nothing allowed without an ACL). The default listener keeps
         * serving without authentication, as the super user {@code User:ANONYMOUS}: it is the
         * operator's way in (creating topics, SCRAM credentials and ACLs) and the broker's own.
         */
        public Builder saslSslListener(SaslSslListener listener) {
            this.saslSsl = listener;
            return this;
        }

        /** Starts the cluster and waits until the broker is ready. */
        public EmbeddedKafkaCluster start() {
            try {
                TestKitNodes.Builder nodes = new TestKitNodes.Builder(bootstrapMetadata())
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1);
                boolean reuse = false;
                if (dataDirectory != null) {
                    Files.createDirectories(dataDirectory);
                    Path idFile = dataDirectory.resolve(CLUSTER_ID_FILE);
                    reuse = Files.exists(idFile);
                    String clusterId = reuse
                            ? Files.readString(idFile, StandardCharsets.UTF_8).trim()
                            : Uuid.randomUuid().toString();
                    nodes.setBaseDirectory(dataDirectory).setClusterId(clusterId);
                }
                TestKitNodes built = nodes.build();
                KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(built)
                        .setDeleteOnClose(dataDirectory == null);
                defaults().forEach(builder::setConfigProp);
                if (saslSsl != null) {
                    saslSsl.brokerProperties(built.brokerListenerName().value(), built.controllerListenerName().value())
                            .forEach(builder::setConfigProp);
                }
                brokerProperties.forEach(builder::setConfigProp);
                KafkaClusterTestKit cluster = builder.build();
                bindListenersToTheirHost(cluster);
                if (!reuse) {
                    cluster.format();
                    if (dataDirectory != null) {
                        Files.writeString(dataDirectory.resolve(CLUSTER_ID_FILE), cluster.nodes().clusterId(),
                                StandardCharsets.UTF_8);
                    }
                }
                cluster.startup();
                cluster.waitForReadyBrokers();
                return new EmbeddedKafkaCluster(cluster);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not prepare the embedded Kafka data folder " + dataDirectory, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting embedded Kafka", e);
            } catch (Exception e) {
                throw new IllegalStateException("Embedded Kafka did not start: " + e.getMessage(), e);
            }
        }

        /**
         * The test kit reserves each listener's port before the servers start by binding a socket
         * on every interface ({@code new InetSocketAddress(port)}), whatever host the listener
         * names, and hands that socket to the listener. A reserved socket that is already closed
         * is opened again on the same port at the host the listener names ({@code localhost}),
         * which is what the kit does when a stopped broker starts again. So the reserved sockets
         * are taken here and closed before the servers start: the listeners then bind loopback,
         * on the ports the controller quorum and clients were already given. Taking them goes
         * through the servers' own {@link ServerSocketFactory}, a public Kafka API.
         *
         * <p>Between the close and the listener's bind another process could take the port; the
         * broker would then fail to start with "Address already in use", never listen elsewhere.
         */
        private static void bindListenersToTheirHost(KafkaClusterTestKit cluster) throws IOException {
            Set<ServerSocketFactory> factories = new LinkedHashSet<>();
            cluster.controllers().values().forEach(controller -> factories.add(controller.sharedServer().socketFactory()));
            cluster.brokers().values().forEach(broker -> factories.add(broker.sharedServer().socketFactory()));
            List<String> listenerNames = List.of(cluster.nodes().brokerListenerName().value(),
                    cluster.nodes().controllerListenerName().value());
            for (ServerSocketFactory factory : factories) {
                for (String listenerName : listenerNames) {
                    // Returns the reserved socket (or, for a listener this node does not have, a new
                    // loopback one) and marks it used; closed, it is bound again at the listener's host.
                    ServerSocketChannel reserved = factory.openServerSocket(listenerName,
                            new InetSocketAddress(LOOPBACK_HOST, 0), -1, -1);
                    reserved.close();
                }
            }
        }

        /** Production features at their defaults, with transactions v2 and share groups finalized. */
        private static BootstrapMetadata bootstrapMetadata() {
            MetadataVersion version = MetadataVersion.latestProduction();
            Map<String, Short> features = Feature.PRODUCTION_FEATURES.stream()
                    .collect(Collectors.toMap(Feature::featureName, f -> f.defaultLevel(version), (a, b) -> a, TreeMap::new));
            features.put(Feature.TRANSACTION_VERSION.featureName(), (short) 2);
            features.put(Feature.SHARE_VERSION.featureName(), (short) 1);
            // Streams groups (KIP-1071, group.protocol=streams): on in 4.4.0 by default; stated so it does not depend on it.
            features.put(Feature.STREAMS_VERSION.featureName(), (short) 1);
            return BootstrapMetadata.fromVersions(version, features, "parley-embedded-kafka");
        }

        /** One node cannot hold three replicas of the internal topics; small partition counts start faster. */
        private static Map<String, Object> defaults() {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "5");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "5");
            // As recommended for production (docs/takeover.md): a dead producer's transaction is aborted about a
            // second after its timeout instead of up to 10 s later.
            props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("share.coordinator.state.topic.num.partitions", "5");
            props.put("group.initial.rebalance.delay.ms", "0");
            // Streams groups (KIP-1071): allow the 6 s session / 2 s heartbeat Parley uses with the classic protocol
            // (Kafka's bounds for streams groups are 45 s and 5 s); the processor sets them per group.
            props.put("group.streams.min.session.timeout.ms", "6000");
            props.put("group.streams.min.heartbeat.interval.ms", "1000");
            props.put("auto.create.topics.enable", "false");
            return props;
        }
    }
}
