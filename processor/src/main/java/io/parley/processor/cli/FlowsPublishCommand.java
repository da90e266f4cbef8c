package io.parley.processor.cli;

import io.parley.processor.flow.FlowProblem;
import io.parley.processor.flow.FlowSets;
import io.parley.processor.flow.FlowSource;
import io.parley.schemas.FlowSet;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley flows publish FILES... --set shop --bootstrap-server host:9092}: validates the files exactly like
 * {@code flows validate} and, only when they are clean, writes them as one {@link FlowSet} record (all files at once)
 * to the compacted topic {@code parley.flows}, keyed by the set's name. Exit code 0 when published, 1 when the
 * flows have problems (nothing is published), 2 when the record could not be written.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Validates flow files and publishes them as one version of a flow set to the parley.flows topic.")
public final class FlowsPublishCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILES", description = "The set's flow files, in load order.")
    private List<String> files;

    @Option(names = "--set", paramLabel = "NAME", description = "The flow set's name (flows.set of the processors); default: the first file's name without .yaml.")
    private String set;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT", description = "The Kafka cluster.")
    private String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties (TLS, SASL).")
    private Path kafkaConfig;

    @Option(names = "--schema-registry", paramLabel = "URL", defaultValue = "http://localhost:8081",
            description = "The Schema Registry (default: ${DEFAULT-VALUE}); schema.registry.* in --kafka-config also count.")
    private String schemaRegistry;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "parley.flows", description = "The flows topic (default: ${DEFAULT-VALUE}).")
    private String topic;

    @Option(names = "--publisher", paramLabel = "WHO", description = "Who publishes (default: the user.name of this process).")
    private String publisher;

    @Option(names = "--connectors", split = ",", paramLabel = "FILES",
            description = "Connector files: check each call's parameters against its operation, as flows validate does.")
    private List<Path> connectorFiles;

    private final PrintStream out;
    private final Clock clock;
    private final FlowsValidateCommand.ConnectorReader connectorReader;

    public FlowsPublishCommand(PrintStream out, Clock clock) {
        this(out, clock, null);
    }

    /** @param connectorReader reads connector files, or null where they cannot be read (then {@code --connectors} is refused) */
    public FlowsPublishCommand(PrintStream out, Clock clock, FlowsValidateCommand.ConnectorReader connectorReader) {
        this.out = out;
        this.clock = clock;
        this.connectorReader = connectorReader;
    }

    @Override
    public Integer call() {
        Optional<io.parley.processor.flow.ConnectorOperations> connectors = Optional.empty();
        if (connectorFiles != null && !connectorFiles.isEmpty()) {
            if (connectorReader == null) {
                out.println("parley flows publish: --connectors needs the parley launcher (the worker's connector format)");
                return 2;
            }
            try {
                connectors = Optional.of(connectorReader.read(connectorFiles));
            } catch (ConfigException e) {
                out.println("connector files: " + e.getMessage() + "; nothing published");
                return 1;
            }
        }
        List<FlowSource> sources = files.stream().map(spec -> FlowSource.parse(spec, null)).toList();
        List<FlowProblem> problems = FlowsValidateCommand.loader().check(sources, connectors);
        if (!problems.isEmpty()) {
            problems.forEach(problem -> out.println(problem.render()));
            out.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + "; nothing published");
            return 1;
        }
        FlowSet record;
        Map<String, Object> producerProps;
        Map<String, Object> serdeProps;
        try {
            TopicNames.requireValidName(TopicNames.FLOWS, topic);
            List<FlowSets.File> read = FlowSets.read(sources);
            String name = set != null ? set : read.get(0).name().replaceFirst("\\.ya?ml$", "");
            if (name.isBlank()) {
                throw new ConfigException("--set: the flow set needs a name");
            }
            record = FlowSets.of(name, read, Optional.ofNullable(publisher).or(() -> Optional.ofNullable(System.getProperty("user.name"))),
                    host(), clock.instant());
            Properties client = kafkaProperties();
            producerProps = new HashMap<>();
            serdeProps = new HashMap<>();
            serdeProps.put("schema.registry.url", schemaRegistry);
            client.stringPropertyNames().forEach(key -> (key.startsWith("schema.registry.") || key.startsWith("basic.auth.")
                    ? serdeProps : producerProps).put(key, client.getProperty(key)));
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            // An unreachable cluster is reported within seconds, not Kafka's minute (a --kafka-config value wins).
            producerProps.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        } catch (ConfigException e) {
            out.println("parley flows publish: " + e.getMessage());
            return 1;
        }
        Topics topics = Topics.create(TopicNames.fromMap(Map.of(TopicNames.FLOWS, topic)), serdeProps);
        try (KafkaProducer<String, FlowSet> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                topics.flows().valueSerde().serializer())) {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, record.getName(), record)).get(30, TimeUnit.SECONDS);
            out.println("Published " + record.getVersion() + " (" + record.getFiles().size() + " file(s)) to " + topic + "-"
                    + written.partition() + "@" + written.offset());
            return 0;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            out.println("parley flows publish: could not write to " + topic + " at " + bootstrapServers + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    private Properties kafkaProperties() {
        Properties props = new Properties();
        if (kafkaConfig != null) {
            try (InputStream in = Files.newInputStream(kafkaConfig)) {
                props.load(in);
            } catch (IOException e) {
                throw new ConfigException(kafkaConfig + ": cannot read the Kafka client properties (" + e.getMessage() + ")");
            }
        }
        return props;
    }

    private static Optional<String> host() {
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
